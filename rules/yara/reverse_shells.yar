// Reverse shells: scripts that connect out and hand a shell to whoever listens. Written for
// hivesec. Executables are excluded (shells and interpreters carry such text in their help
// and code); each rule needs the connection and the shell together.

private rule hivesec_not_executable
{
  condition:
    not (uint32(0) == 0x464c457f or uint16(0) == 0x5a4d)
}

rule reverse_shell_bash
{
  meta:
    description = "Reverse shell: interactive shell redirected to a /dev/tcp connection"
    severity = "critical"
    category = "reverse-shell"
    attack = "T1059.004"
  strings:
    $i = /\b(ba|z|da|k)?sh\s+-i\s+[0-9]?>&\s*\/dev\/(tcp|udp)\/[^\/\s]{1,255}\/[0-9]{1,5}/
    $fd = /\bexec\s+[0-9]{1,3}<>\s*\/dev\/(tcp|udp)\/[^\/\s]{1,255}\/[0-9]{1,5}/
    $redir = /\/dev\/(tcp|udp)\/[^\/\s]{1,255}\/[0-9]{1,5}\s+0>&1/
    // An fd on /dev/tcp alone is a common health check; a shell or read loop wired to it is not.
    $fd_shell = /\b(ba|z|da)?sh\s+(-i\s+)?[0-9]?<&\s*[0-9]{1,3}\s+[0-9]?>&\s*[0-9]{1,3}/
    $fd_loop = /\bread\s+\w+\s+0?<&\s*[0-9]{1,3}\s*;\s*do\s+\$\w+\s+2>&\s*[0-9]{1,3}/
  condition:
    hivesec_not_executable and filesize < 1MB and ($i or $redir or ($fd and ($fd_shell or $fd_loop)))
}

rule reverse_shell_netcat
{
  meta:
    description = "Reverse shell: netcat/ncat executing a shell for the remote end, or a FIFO shell piped through netcat"
    severity = "critical"
    category = "reverse-shell"
    attack = "T1059.004"
  strings:
    $e = /\b(nc|ncat|netcat)(\.traditional|\.openbsd)?\s[^\n|;&]{0,100}-[a-z]*[ec]\s*["']?\/bin\/(ba|z|da)?sh\b/
    $fifo = /mkfifo\s+\S+[^\n]{0,120}\/bin\/(ba|z|da)?sh\s+-i[^\n]{0,120}\|\s*(nc|ncat|netcat|telnet)\s/
  condition:
    hivesec_not_executable and filesize < 1MB and any of them
}

rule reverse_shell_python
{
  meta:
    description = "Reverse shell: Python connects a socket and spawns a shell on it (socket + dup2 + pty/subprocess)"
    severity = "critical"
    category = "reverse-shell"
    attack = "T1059.006"
  strings:
    $sock = /socket\.socket\s*\(/
    $connect = /\.connect\s*\(\s*\(/
    $dup = /dup2\s*\(\s*\w+\.fileno\s*\(\s*\)\s*,\s*[012]\s*\)/
    $shell = /(pty\.spawn|subprocess\.(call|Popen|run|check_call)|os\.(system|exec[lv]p?e?|spawn[lv]p?e?))\s*\(\s*\[?\s*["']\/bin\/(ba|z|da)?sh/
  condition:
    hivesec_not_executable and filesize < 256KB and all of them
}

rule reverse_shell_perl
{
  meta:
    description = "Reverse shell: Perl connects a socket, redirects STDIN/STDOUT to it and runs a shell"
    severity = "critical"
    category = "reverse-shell"
    attack = "T1059"
  strings:
    $sock = /(socket\s*\(\s*\w+\s*,\s*PF_INET|IO::Socket::INET\s*->\s*new)/
    $open = /open\s*\(\s*STD(IN|OUT|ERR)\s*,\s*["']?[>+<]*&/
    $exec = /\b(exec|system)\s*\(?\s*["']\/bin\/(ba|z|da)?sh/
  condition:
    hivesec_not_executable and filesize < 256KB and all of them
}

rule reverse_shell_ruby
{
  meta:
    description = "Reverse shell: Ruby TCPSocket handed to a shell"
    severity = "critical"
    category = "reverse-shell"
    attack = "T1059"
  strings:
    $sock = /TCPSocket\s*\.\s*(new|open)\s*\(/
    $exec = /\b(exec|spawn|system|IO\.popen)\s*[( ]\s*(sprintf\s*\(\s*)?["']\/bin\/(ba|z|da)?sh/
  condition:
    hivesec_not_executable and filesize < 256KB and all of them
}

rule reverse_shell_php
{
  meta:
    description = "Reverse shell: PHP fsockopen handed to an interactive shell"
    severity = "critical"
    category = "reverse-shell"
    attack = "T1059"
  strings:
    $sock = /fsockopen\s*\(/
    $exec = /\b(exec|shell_exec|system|passthru|popen|proc_open)\s*\(\s*["']\/bin\/(ba|z|da)?sh\s+-i/
  condition:
    hivesec_not_executable and filesize < 1MB and all of them
}

rule reverse_shell_socat
{
  meta:
    description = "Reverse shell: socat connecting out and executing a shell"
    severity = "critical"
    category = "reverse-shell"
    attack = "T1059.004"
  strings:
    $exec = /\bsocat\s[^\n]{0,200}exec:["']?(\/bin\/)?(ba|z|da)?sh/ nocase
    $tcp = /\bsocat\s[^\n]{0,200}\btcp[46]?(-connect)?:[^\s:]{1,255}:[0-9]{1,5}/ nocase
  condition:
    hivesec_not_executable and filesize < 1MB and $exec and $tcp
}
