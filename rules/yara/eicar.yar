// The EICAR anti-virus test file: a harmless standard string that anti-virus products detect
// on purpose (https://www.eicar.org). The file starts with it and is at most 128 bytes long.

rule eicar_test_file
{
  meta:
    description = "EICAR anti-virus test file"
    severity = "medium"
    category = "test"
  strings:
    $eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
  condition:
    $eicar at 0 and filesize <= 128
}
