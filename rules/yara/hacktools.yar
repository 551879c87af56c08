// Well-known offensive tools (credential dumpers, privilege-escalation scanners, tunnels,
// post-exploitation implants). String choices written for hivesec from the tools' publicly
// described characteristics (module names, command names, source paths, config layout).

rule hacktool_mimikatz
{
  meta:
    description = "Mimikatz credential dumper"
    severity = "high"
    category = "hacktool"
    attack = "T1003.001"
  strings:
    $m1 = "sekurlsa::logonpasswords" ascii wide nocase
    $m2 = "lsadump::" ascii wide nocase
    $m3 = "gentilkiwi" ascii wide nocase
    $m4 = "mimikatz" ascii wide nocase
    $m5 = "privilege::debug" ascii wide nocase
    $m6 = "kuhl_m_" ascii wide
  condition:
    filesize < 20MB and 3 of them
}

rule hacktool_lazagne
{
  meta:
    description = "LaZagne password recovery tool"
    severity = "high"
    category = "hacktool"
    attack = "T1555"
  strings:
    $cfg = "lazagne.config" ascii wide
    $sw = "lazagne.softwares" ascii wide
  condition:
    filesize < 50MB and any of them
}

rule hacktool_linpeas_linenum
{
  meta:
    description = "Linux privilege-escalation enumeration script (linPEAS, LinEnum)"
    severity = "medium"
    category = "hacktool"
    attack = "T1082,T1548"
  strings:
    $peass = "PEASS-ng" nocase
    $linpeas = "linpeas" nocase
    $peass_banner = /\bpeass\{/ nocase
    $linenum = "LinEnum" nocase
    $rebootuser = "rebootuser" nocase
  condition:
    filesize < 20MB and (($peass and $linpeas and #linpeas > 2) or $peass_banner or ($linenum and $rebootuser))
}

rule hacktool_pspy
{
  meta:
    description = "pspy process snooping tool"
    severity = "medium"
    category = "hacktool"
    attack = "T1057"
  strings:
    $mod = "github.com/dominicbreuker/pspy" nocase
  condition:
    $mod
}

rule hacktool_chisel
{
  meta:
    description = "Chisel TCP/UDP tunnel over HTTP (used to pivot out of networks)"
    severity = "medium"
    category = "hacktool"
    attack = "T1572"
  strings:
    $share = "github.com/jpillora/chisel/share"
    $client = "github.com/jpillora/chisel/client"
  condition:
    (uint32(0) == 0x464c457f or uint16(0) == 0x5a4d or uint32(0) == 0xfeedfacf) and any of them
}

rule hacktool_meterpreter
{
  meta:
    description = "Metasploit Meterpreter payload"
    severity = "critical"
    category = "hacktool"
    attack = "T1059,T1105"
  strings:
    $metsrv = "metsrv" ascii wide
    $stdapi = "ext_server_stdapi" ascii wide
    $cmd1 = "stdapi_sys_process_execute" ascii wide
    $cmd2 = "core_channel_open" ascii wide
    $cmd3 = "stdapi_fs_ls" ascii wide
    $reflective = "ReflectiveLoader"
    $mettle = "mettle_" ascii
  condition:
    filesize < 20MB and 3 of them
}

rule hacktool_cobalt_strike_beacon
{
  meta:
    description = "Cobalt Strike beacon (encoded beacon configuration block)"
    severity = "critical"
    category = "hacktool"
    attack = "T1071.001"
  strings:
    // Settings 1 (beacon type, short), 2 (port, short), 3 (sleep time, int) as type/length
    // records, XOR-encoded with 0x69 (3.x) or 0x2e (4.x).
    $cfg3 = { 69 68 69 68 69 6B ?? ?? 69 6B 69 68 69 6B ?? ?? 69 6A 69 6B 69 6D }
    $cfg4 = { 2E 2F 2E 2F 2E 2C ?? ?? 2E 2C 2E 2F 2E 2C ?? ?? 2E 2D 2E 2C 2E 2A }
  condition:
    filesize < 20MB and any of them
}
