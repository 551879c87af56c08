// Crypto-currency miners: miner binaries, pool URLs and miner configuration files.
// Written for hivesec.

rule miner_binary
{
  meta:
    description = "Crypto-currency miner executable (XMRig, cpuminer, ccminer family)"
    severity = "high"
    category = "miner"
    attack = "T1496"
  strings:
    $n1 = "xmrig" nocase
    $n2 = "cpuminer" nocase
    $n3 = "ccminer" nocase
    $n4 = "xmr-stak" nocase
    $a1 = "cryptonight" nocase
    $a2 = "randomx" nocase
    $a3 = "donate-level"
    $a4 = "stratum+" nocase
    $a5 = "mining.subscribe"
    $a6 = "mining.authorize"
    $a7 = "nicehash" nocase
    $a8 = "hashrate" nocase
  condition:
    (uint32(0) == 0x464c457f or uint16(0) == 0x5a4d or uint32(0) == 0xfeedfacf or uint32(0) == 0xcffaedfe)
    and any of ($n*) and 2 of ($a*)
}

rule miner_config
{
  meta:
    description = "Crypto-currency miner configuration (pools with user and algorithm, donate level)"
    severity = "high"
    category = "miner"
    attack = "T1496"
  strings:
    $pools = /"pools"\s*:\s*\[/
    $user = /"user"\s*:\s*"/
    $algo = /"algo"\s*:\s*"(rx\/[a-z0-9]+|cn\/[a-z0-9\-]+|cn-[a-z0-9\-]+|argon2\/[a-z]+|astrobwt|kawpow|ghostrider|cryptonight[a-z\-]*|randomx)"/ nocase
    $donate = /"donate-level"\s*:\s*[0-9]/
    $stratum = "stratum+" nocase
  condition:
    filesize < 1MB and $pools and $user and ($algo or $donate or $stratum)
}

rule miner_pool_url
{
  meta:
    description = "Mining pool URL (stratum protocol)"
    severity = "high"
    category = "miner"
    attack = "T1496"
  strings:
    $tcp = /stratum2?\+(tcp|ssl|tls):\/\/[a-z0-9.\-]{3,253}(:[0-9]{2,5})?/ nocase
  condition:
    $tcp and not miner_binary and not miner_config
}
