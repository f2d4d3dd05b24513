# awk-client.awk - a TCP client in any awk (gawk, mawk, busybox): awk has
# no sockets, but it can read and write files.
#   usage: awk -v host=HOST -v port=PORT [-v mnt=/sockfs] [-v send=TEXT] -f awk-client.awk
# Connects, sends TEXT (default: an HTTP/1.0 request for /) and a
# half-close, then prints every line the server sends until it closes.
BEGIN {
	if (mnt == "") mnt = "/sockfs"
	if (host == "" || port == "") {
		print "usage: awk -v host=HOST -v port=PORT -f awk-client.awk" > "/dev/stderr"
		exit 2
	}
	if (send == "") send = "GET / HTTP/1.0\r\nHost: " host "\r\n\r\n"

	# A socket from new (a socket from clone would close with awk's
	# close() of it): its id is the one line new gives.
	if ((getline id < (mnt "/new")) <= 0) {
		print "awk-client: cannot read " mnt "/new" > "/dev/stderr"
		exit 1
	}
	close(mnt "/new")
	dir = mnt "/" id
	ctl = dir "/ctl"
	# Text commands; half-close: closing data ends the request.
	print "halfclose on" > ctl; close(ctl)
	# connect_ex: a refused connect is its reply, not a failed write
	# (gawk and mawk end the program when a write fails); the socket's
	# status then tells.
	print "connect_ex " host " " port > ctl; close(ctl)
	getline status < (dir "/status"); close(dir "/status")
	if (status !~ /"state":"connected"/) {
		print "awk-client: connect failed: " status > "/dev/stderr"
		print "close" > ctl; close(ctl)
		exit 1
	}
	printf "%s", send > (dir "/data")
	close(dir "/data")
	while ((getline line < (dir "/data")) > 0)
		print line
	close(dir "/data")
	print "close" > ctl; close(ctl)
}
