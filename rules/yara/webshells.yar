// Webshells: server-side pages that run what the HTTP request tells them to (PHP, JSP, ASP,
// ASPX). Written for hivesec; every rule needs request data flowing into an evaluator or a
// process launcher, so pages that merely use eval or exec on constants do not match.

rule php_webshell_chopper
{
  meta:
    description = "PHP one-line webshell (\"chopper\" style): the page evaluates a request parameter"
    severity = "critical"
    category = "webshell"
    attack = "T1505.003"
  strings:
    $one = /<\?(php|=)?\s*@?\s*(eval|assert)\s*\(\s*\$_(POST|GET|REQUEST|COOKIE)\s*\[\s*['"]?[^\]'"]{1,32}['"]?\s*\]\s*\)\s*;?\s*(\?>)?/ nocase
  condition:
    filesize < 4KB and $one
}

rule php_webshell_eval_request
{
  meta:
    description = "PHP webshell: evaluates code taken from the request (eval, assert, create_function, preg_replace /e, variable functions)"
    severity = "critical"
    category = "webshell"
    attack = "T1505.003"
  strings:
    $eval = /\b(eval|assert)\s*\(\s*@?\s*((stripslashes|trim|base64_decode|str_rot13|urldecode|gzinflate|hex2bin)\s*\(\s*)?\$_(GET|POST|REQUEST|COOKIE|SERVER)\s*\[/ nocase
    $create = /create_function\s*\([^;]{0,200}\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
    $preg = /preg_replace\s*\(\s*["'][^"']{0,100}\/[a-z]*e[a-z]*["']\s*,[^;]{0,200}\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
    $varfunc = /\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]]{1,40}\]\s*\(\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[/
    $callfunc = /call_user_func(_array)?\s*\(\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[/ nocase
  condition:
    filesize < 8MB and any of them and not php_webshell_chopper
}

rule php_webshell_obfuscated_eval
{
  meta:
    description = "PHP webshell: evaluates code hidden behind a decoding chain (base64, gzinflate, str_rot13, ...)"
    severity = "high"
    category = "webshell"
    attack = "T1505.003,T1027"
  strings:
    $chain = /\b(eval|assert)\s*\(\s*@?\s*(gzinflate|gzuncompress|gzdecode|str_rot13|base64_decode|strrev|convert_uudecode|hex2bin|rawurldecode)\s*\(\s*@?\s*(gzinflate|gzuncompress|gzdecode|str_rot13|base64_decode|strrev|convert_uudecode|hex2bin)\s*\(/ nocase
    $blob = /\b(eval|assert)\s*\(\s*@?\s*base64_decode\s*\(\s*["'][A-Za-z0-9+\/=]{60}/ nocase
    $preg = /preg_replace\s*\(\s*["'][^"']{0,100}\/[a-z]*e[a-z]*["']\s*,\s*["'][^"']{0,80}(base64_decode|gzinflate|str_rot13)/ nocase
  condition:
    filesize < 8MB and any of them
}

rule php_webshell_command_request
{
  meta:
    description = "PHP webshell: runs a shell command taken from the request (system, exec, passthru, shell_exec, popen, proc_open, backticks)"
    severity = "critical"
    category = "webshell"
    attack = "T1505.003,T1059.004"
  strings:
    $call = /\b(system|exec|passthru|shell_exec|popen|proc_open|pcntl_exec)\s*\(\s*@?\s*((stripslashes|base64_decode|urldecode|trim)\s*\(\s*)?\$_(GET|POST|REQUEST|COOKIE|SERVER)\s*\[/ nocase
    $tick = /`\s*\$_(GET|POST|REQUEST|COOKIE)\s*\[[^\]]{1,40}\]\s*`/
  condition:
    filesize < 8MB and any of them
}

rule jsp_webshell_command_request
{
  meta:
    description = "JSP webshell: runs a command taken from the request (Runtime.exec, ProcessBuilder)"
    severity = "critical"
    category = "webshell"
    attack = "T1505.003"
  strings:
    $direct = /Runtime\s*\.\s*getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(\s*(new\s+String\s*\[\s*\]\s*\{[^}]{0,100})?request\s*\.\s*get(Parameter|Header)\s*\(/
    $pb = /new\s+ProcessBuilder\s*\([^;]{0,200}request\s*\.\s*get(Parameter|Header|InputStream|Reader)/
    // exec of a plain variable or a ProcessBuilder, in a page that reads request parameters
    $rt_var = /Runtime\s*\.\s*getRuntime\s*\(\s*\)\s*\.\s*exec\s*\(\s*[A-Za-z_][A-Za-z0-9_]{0,30}\s*\)/
    $pb_any = /new\s+ProcessBuilder\s*\(/
    $req = /request\s*\.\s*getParameter\s*\(/
    $page = /<%[@!=]?/
  condition:
    filesize < 512KB and ($direct or $pb or (($rt_var or $pb_any) and $req and $page))
}

rule jsp_webshell_class_loader
{
  meta:
    description = "JSP webshell: defines a Java class from bytes sent in the request (in-memory payload loader)"
    severity = "critical"
    category = "webshell"
    attack = "T1505.003,T1620"
  strings:
    $define = "defineClass"
    $loader = "ClassLoader"
    $req = /request\s*\.\s*(getReader|getInputStream|getParameter)\s*\(/
    $decode = /(BASE64Decoder|Base64\s*\.\s*getDecoder|decodeBuffer|Cipher\s*\.\s*getInstance)/
  condition:
    filesize < 512KB and all of them
}

rule asp_webshell_eval_request
{
  meta:
    description = "ASP/ASPX webshell: evaluates code taken from the request (eval/Execute of Request, JScript eval \"unsafe\")"
    severity = "critical"
    category = "webshell"
    attack = "T1505.003"
  strings:
    $eval = /\b(eval|execute|executeglobal)\s*[( ]\s*\(?\s*Request\s*(\.\s*(Item|Form|QueryString|Params))?\s*[(\[]/ nocase
    $unsafe = /\beval\s*\([^;]{0,200},\s*["']unsafe["']\s*\)/
  condition:
    filesize < 8MB and any of them
}

rule aspx_webshell_process_request
{
  meta:
    description = "ASPX webshell: starts a process with arguments taken from the request"
    severity = "critical"
    category = "webshell"
    attack = "T1505.003"
  strings:
    $start = /Process\s*\.\s*Start\s*\([^;]{0,200}Request\s*(\.\s*(Item|Form|QueryString|Params))?\s*[(\[]/ nocase
    $psi_new = /ProcessStartInfo\s*\([^;]{0,200}Request\s*(\.\s*(Item|Form|QueryString|Params))?\s*[(\[]/ nocase
    $psi = "ProcessStartInfo" nocase
    $assign = /\.\s*(Arguments|FileName)\s*=\s*[^;]{0,100}Request\s*(\.\s*(Item|Form|QueryString|Params))?\s*[(\[]/ nocase
  condition:
    filesize < 8MB and ($start or $psi_new or ($psi and $assign))
}
