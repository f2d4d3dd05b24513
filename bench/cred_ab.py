# cred_ab.py MNT PID N - daemon CPU per connect+close through sockfs: N rounds of
# cat new / connect / close against a local listener; prints microseconds per op.
import os, socket, sys, glob, threading
mnt, pid, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lst = socket.socket(); lst.bind(("127.0.0.1", 0)); lst.listen(4096)
port = lst.getsockname()[1]
def acceptor():
    while True:
        try: c, _ = lst.accept(); c.close()
        except OSError: return
threading.Thread(target=acceptor, daemon=True).start()
def cpu():
    t = 0
    for f in glob.glob("/proc/%d/task/*/schedstat" % pid):
        try: t += int(open(f).read().split()[0])
        except OSError: pass
    return t
cmd = ('{"op":"connect","address":["127.0.0.1",%d]}' % port).encode()
def one():
    sid = open(mnt + "/new").read().strip()
    fd = os.open("%s/%s/ctl" % (mnt, sid), os.O_RDWR)
    os.write(fd, cmd); os.write(fd, b'{"op":"close"}'); os.close(fd)
for _ in range(200): one()
t0 = cpu()
for _ in range(n): one()
print("%.1f" % ((cpu() - t0) / n / 1000.0))
