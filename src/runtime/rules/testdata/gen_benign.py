# Generates benign_webserver.jsonl and benign_compile.jsonl (run from this directory).
import json, random
random.seed(7)
WEB = {"id":"3f2a9c1b7d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8","name":"web","image":"docker.io/library/nginx:1.25","metadata_complete":True,"started_ns":1700000000000000000}
APP = {"id":"5b6c7d8e9f00112233445566778899aabbccddeeff00112233445566778899aa","name":"shop-php","image":"registry.example.com/shop/php:8.2-fpm","metadata_complete":True,"started_ns":1700000000000000000,"pod_name":"shop-0","pod_namespace":"shop"}
NODE = {"id":"7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f","name":"api","image":"node:20-slim","metadata_complete":True,"started_ns":1700000000000000000}
BUILD = {"id":"9a8b7c6d5e4f30211a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081","name":"ci-build","image":"gcc:13","metadata_complete":True,"started_ns":1700000000000000000}
T=[1700000200000000000]
def ev(type_, syscall, proc, container, anc, fd=None, args=None):
    T[0]+=250000
    e={"type":type_,"syscall":syscall,"ts":T[0],"proc":proc,"ancestors":[dict(zip(("pid","name","exepath","cmdline"),a)) for a in anc],"container":container}
    if fd: e["fd"]=fd
    if args: e["args"]=args
    return json.dumps(e,separators=(",",":"))
def p(name, exepath, args=(), uid=0, pid=100, **kw):
    d={"pid":pid,"tid":pid,"ppid":1,"name":name,"exe":name,"exepath":exepath,"args":list(args),"uid":uid,"euid":uid,"user":"root" if uid==0 else "www-data"}
    d.update(kw); return d
def ffd(path,num=12): return {"num":num,"typechar":"f","name":path}
def tcp(cip,cport,sip,sport,num=12,server=False): return {"num":num,"typechar":"4","name":f"{cip}:{cport}->{sip}:{sport}","cip":cip,"sip":sip,"cport":cport,"sport":sport,"l4proto":6,"is_server":server}
O_WRONLY,O_RDWR,O_CREAT,O_TRUNC,O_APPEND,O_CLOEXEC=1,2,0o100,0o1000,0o2000,0o2000000
SHIM=(1,"containerd-shim","/usr/bin/containerd-shim-runc-v2","containerd-shim-runc-v2 -namespace moby")
NGM=(7,"nginx","/usr/sbin/nginx","nginx: master process nginx -g daemon off;")
FPM=(7,"php-fpm8.2","/usr/sbin/php-fpm8.2","php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)")
web=[]
pages=["index.html","about.html","static/app.js","static/site.css","img/logo.png","favicon.ico"]
for i in range(160):
    w=p("nginx","/usr/sbin/nginx",["-g","daemon off;"],uid=101,pid=30+i%4,user="nginx")
    c=f"203.0.113.{random.randint(1,254)}"; cp=random.randint(30000,60000)
    k=i%8
    if k==0: web.append(ev("accept","accept4",w,WEB,[NGM,SHIM],tcp(c,cp,"172.17.0.2",80,server=True),{"res":12}))
    elif k==1:
        pg=random.choice(pages); web.append(ev("open","openat",w,WEB,[NGM,SHIM],ffd("/usr/share/nginx/html/"+pg),{"res":12,"flags":O_CLOEXEC,"path":"/usr/share/nginx/html/"+pg}))
    elif k==2: web.append(ev("connect","connect",w,WEB,[NGM,SHIM],tcp("172.17.0.2",cp,"10.0.0.12",9000),{"res":-115}))
    elif k==3:
        f=p("php-fpm8.2","/usr/sbin/php-fpm8.2",["pool","www"],uid=33,pid=200+i%5)
        web.append(ev("open","openat",f,APP,[FPM,SHIM],ffd("/var/www/html/index.php"),{"res":9,"flags":O_CLOEXEC,"path":"/var/www/html/index.php"}))
    elif k==4:
        f=p("php-fpm8.2","/usr/sbin/php-fpm8.2",["pool","www"],uid=33,pid=200+i%5)
        web.append(ev("connect","connect",f,APP,[FPM,SHIM],tcp("10.0.0.12",cp,"10.0.0.20",3306),{"res":0}))
    elif k==5:
        n=p("node","/usr/local/bin/node",["server.js"],uid=1000,pid=300)
        web.append(ev("connect","connect",n,NODE,[SHIM],tcp("10.0.0.31",cp,"10.0.0.30",6379),{"res":0}))
    elif k==6:
        n=p("node","/usr/local/bin/node",["server.js"],uid=1000,pid=300)
        web.append(ev("open","openat",n,NODE,[SHIM],ffd("/app/node_modules/express/lib/router/index.js"),{"res":21,"flags":O_CLOEXEC,"path":"/app/node_modules/express/lib/router/index.js"}))
    else:
        web.append(ev("open","openat",w,WEB,[NGM,SHIM],ffd("/var/log/nginx/access.log",4),{"res":4,"flags":O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC,"mode":0o644,"path":"/var/log/nginx/access.log"}))
    if i%40==0:
        hc=p("curl","/usr/bin/curl",["-fs","http://127.0.0.1/"],pid=900+i)
        RX=(899,"runc","/usr/bin/runc","runc exec")
        web.append(ev("exec","execve",hc,WEB,[RX,SHIM]))
        web.append(ev("connect","connect",hc,WEB,[RX,SHIM],tcp("127.0.0.1",cp,"127.0.0.1",80),{"res":0}))
        web.append(ev("exit","procexit",hc,WEB,[SHIM],None,{"exit_code":0}))
    if i%80==0:
        f=p("php-fpm8.2","/usr/sbin/php-fpm8.2",["pool","www"],uid=0,pid=7)
        web.append(ev("fork","clone",f,APP,[SHIM],None,{"res":260+i,"target_pid":260+i}))
        web.append(ev("setuid","setuid",p("php-fpm8.2","/usr/sbin/php-fpm8.2",["pool","www"],uid=0,pid=260+i),APP,[FPM,SHIM],None,{"res":0,"target_uid":33}))
open("benign_webserver.jsonl","w").write("# A web server under load (nginx, php-fpm, node): no default rule may match.\n"+"\n".join(web)+"\n")

b=[]
MAKE=(500,"make","/usr/bin/make","make -j2 all check")
SH=(490,"sh","/bin/sh","sh -c make -j2 all check")
CONF=(495,"configure","/src/configure","configure --prefix=/usr")
CSH=(496,"sh","/bin/sh","sh ./configure")
b.append(ev("exec","execve",p("sh","/bin/sh",["-c","./configure --prefix=/usr && make -j2 all check"],pid=490),BUILD,[SHIM]))
for j in range(20):
    b.append(ev("exec","execve",p("gcc","/usr/bin/gcc",["-o","conftest","conftest.c"],pid=600+j),BUILD,[CSH,CONF,SH,SHIM]))
    b.append(ev("open","openat",p("ld","/usr/bin/ld",["-o","conftest"],pid=601+j),BUILD,[(600+j,"collect2","/usr/libexec/gcc/x86_64-linux-gnu/13/collect2","collect2"),(600+j,"gcc","/usr/bin/gcc","gcc"),CSH,CONF],ffd("/src/conftest"),{"res":3,"flags":O_RDWR|O_CREAT|O_TRUNC,"mode":0o777,"path":"/src/conftest"}))
    b.append(ev("exec","execve",p("conftest","/src/conftest",pid=700+j,exe_written_after_start=True,exe_upper_layer=True),BUILD,[CSH,CONF,SH,SHIM]))
    b.append(ev("unlink","unlink",p("rm","/usr/bin/rm",["-f","conftest","conftest.o"],pid=710+j),BUILD,[CSH,CONF],None,{"res":0,"path":"/src/conftest"}))
b.append(ev("open","openat",p("configure","/src/configure",pid=495),BUILD,[SH,SHIM],ffd("/src/config.h"),{"res":5,"flags":O_WRONLY|O_CREAT|O_TRUNC,"mode":0o644,"path":"/src/config.h"}))
for j in range(24):
    src=f"src/mod{j}.c"; obj=f"/src/build/mod{j}.o"
    G=(1000+j,"gcc","/usr/bin/gcc","gcc -O2 -c "+src)
    b.append(ev("exec","execve",p("gcc","/usr/bin/gcc",["-O2","-c",src,"-o",obj],pid=1000+j),BUILD,[MAKE,SH,SHIM]))
    b.append(ev("exec","execve",p("cc1","/usr/libexec/gcc/x86_64-linux-gnu/13/cc1",["-quiet",src],pid=1100+j),BUILD,[G,MAKE,SH]))
    b.append(ev("open","openat",p("cc1","/usr/libexec/gcc/x86_64-linux-gnu/13/cc1",pid=1100+j),BUILD,[G,MAKE],ffd("/usr/include/stdio.h"),{"res":4,"flags":0,"path":"/usr/include/stdio.h"}))
    b.append(ev("open","openat",p("cc1","/usr/libexec/gcc/x86_64-linux-gnu/13/cc1",pid=1100+j),BUILD,[G,MAKE],ffd(f"/tmp/cc{j:04d}.s"),{"res":5,"flags":O_WRONLY|O_CREAT|O_TRUNC,"mode":0o600,"path":f"/tmp/cc{j:04d}.s"}))
    b.append(ev("exec","execve",p("as","/usr/bin/as",["--64","-o",obj,f"/tmp/cc{j:04d}.s"],pid=1200+j),BUILD,[G,MAKE,SH]))
    b.append(ev("open","openat",p("as","/usr/bin/as",pid=1200+j),BUILD,[G,MAKE],ffd(obj),{"res":3,"flags":O_RDWR|O_CREAT|O_TRUNC,"mode":0o666,"path":obj}))
    b.append(ev("unlink","unlink",p("gcc","/usr/bin/gcc",pid=1000+j),BUILD,[MAKE,SH],None,{"res":0,"path":f"/tmp/cc{j:04d}.s"}))
    b.append(ev("exit","procexit",p("gcc","/usr/bin/gcc",pid=1000+j),BUILD,[MAKE,SH],None,{"exit_code":0}))
C2=(1999,"collect2","/usr/libexec/gcc/x86_64-linux-gnu/13/collect2","collect2")
b.append(ev("exec","execve",p("ld","/usr/bin/ld",["-o","/src/build/app"],pid=2000),BUILD,[C2,(1998,"gcc","/usr/bin/gcc","gcc -o build/app"),MAKE]))
b.append(ev("open","openat",p("ld","/usr/bin/ld",pid=2000),BUILD,[C2,MAKE],ffd("/src/build/app"),{"res":3,"flags":O_RDWR|O_CREAT|O_TRUNC,"mode":0o777,"path":"/src/build/app"}))
b.append(ev("chmod","fchmodat",p("ld","/usr/bin/ld",pid=2000),BUILD,[MAKE],None,{"res":0,"mode":0o755,"path":"/src/build/app"}))
for j in range(10):
    b.append(ev("exec","execve",p("app","/src/build/app",["--self-test",str(j)],pid=2100+j,exe_written_after_start=True,exe_upper_layer=True),BUILD,[(2099,"sh","/bin/sh","sh -c ./build/app --self-test"),MAKE,SH,SHIM]))
b.append(ev("exec","execve",p("git","/usr/bin/git",["fetch","origin"],pid=3000),BUILD,[SH,SHIM]))
b.append(ev("connect","connect",p("git-remote-http","/usr/lib/git-core/git-remote-http",pid=3001),BUILD,[(3000,"git","/usr/bin/git","git fetch origin"),SH],tcp("172.17.0.5",41000,"140.82.112.3",443),{"res":0}))
b.append(ev("rename","rename",p("ar","/usr/bin/ar",["rcs","build/libx.a"],pid=3100),BUILD,[MAKE,SH],None,{"res":0,"path":"/src/build/stXYZ","target":"/src/build/libx.a"}))
open("benign_compile.jsonl","w").write("# A compile job in a container (configure, make, gcc, as, ld, tests of the built program):\n# no default rule may match.\n"+"\n".join(b)+"\n")
print(len(web),len(b))
