/* bluetooth.c - the AF_BLUETOOTH entry of the protocol table, as the socket module writes its
 * addresses: BTPROTO_L2CAP ["bdaddr", psm], BTPROTO_RFCOMM ["bdaddr", channel], BTPROTO_HCI
 * [device_id] (out: device_id), BTPROTO_SCO "bdaddr". bdaddr is "XX:XX:XX:XX:XX:XX".
 * linux-libc-dev has no Bluetooth headers: the sockaddr structs below are the kernel's
 * (include/net/bluetooth/{bluetooth,l2cap,rfcomm,hci_sock,sco}.h), byte for byte. */
#include "proto.h"

#include <endian.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef AF_BLUETOOTH
#define AF_BLUETOOTH 31
#endif

#define BT_L2CAP  0
#define BT_HCI	  1
#define BT_SCO	  2
#define BT_RFCOMM 3

#define BT_FORM                                                                                    \
	"[\"bdaddr\", psm] (BTPROTO_L2CAP), [\"bdaddr\", channel] (BTPROTO_RFCOMM), "              \
	"[device_id] (BTPROTO_HCI) or \"bdaddr\" (BTPROTO_SCO)"

/* bdaddr_t: the address's bytes in reverse ("01:..:06" is b[0] = 0x06). */
struct bt_bdaddr {
	uint8_t b[6];
} __attribute__((packed));

struct bt_sockaddr_l2 {
	sa_family_t l2_family;
	uint16_t l2_psm; /* little-endian */
	struct bt_bdaddr l2_bdaddr;
	uint16_t l2_cid; /* little-endian */
	uint8_t l2_bdaddr_type;
};

struct bt_sockaddr_rc {
	sa_family_t rc_family;
	struct bt_bdaddr rc_bdaddr;
	uint8_t rc_channel;
};

struct bt_sockaddr_hci {
	sa_family_t hci_family;
	unsigned short hci_dev;
	unsigned short hci_channel;
};

struct bt_sockaddr_sco {
	sa_family_t sco_family;
	struct bt_bdaddr sco_bdaddr;
};

_Static_assert(sizeof(struct bt_sockaddr_l2) == 14, "sockaddr_l2 is 14 bytes");
_Static_assert(offsetof(struct bt_sockaddr_l2, l2_cid) == 10, "l2_cid at 10");
_Static_assert(sizeof(struct bt_sockaddr_rc) == 10, "sockaddr_rc is 10 bytes");
_Static_assert(offsetof(struct bt_sockaddr_rc, rc_channel) == 8, "rc_channel at 8");
_Static_assert(sizeof(struct bt_sockaddr_hci) == 6, "sockaddr_hci is 6 bytes");
_Static_assert(sizeof(struct bt_sockaddr_sco) == 8, "sockaddr_sco is 8 bytes");

static int bt_get_bdaddr(const json_t *j, struct bt_bdaddr *ba, char *msg, size_t msglen)
{
	unsigned b[6];
	int k = 0;

	if (!json_is_string(j) ||
	    sscanf(json_string_value(j), "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[5], &b[4], &b[3], &b[2],
		   &b[1], &b[0], &k) != 6 ||
	    (size_t)k != json_string_length(j) || k != 17)
		return proto_err(msg, msglen, "bdaddr must be \"XX:XX:XX:XX:XX:XX\", got %s",
				 json_is_string(j) ? json_string_value(j) : proto_json_type(j));
	for (int i = 0; i < 6; i++)
		ba->b[i] = (uint8_t)b[i];
	return 0;
}

static json_t *bt_bdaddr_json(const struct bt_bdaddr *ba)
{
	char s[18];

	snprintf(s, sizeof(s), "%02X:%02X:%02X:%02X:%02X:%02X", ba->b[5], ba->b[4], ba->b[3],
		 ba->b[2], ba->b[1], ba->b[0]);
	return json_string(s);
}

/* [bdaddr, n] for L2CAP (n: psm, 16 bits) and RFCOMM (n: channel, 8 bits). */
static int bt_pair(const json_t *j, unsigned long long max, const char *what, struct bt_bdaddr *ba,
		   unsigned long long *n, char *msg, size_t msglen)
{
	int r = proto_check_array(j, &proto_bluetooth, 2, 2, msg, msglen);

	if (r == 0)
		r = bt_get_bdaddr(json_array_get(j, 0), ba, msg, msglen);
	if (r == 0)
		r = proto_get_uint(json_array_get(j, 1), max, NULL, what, n, msg, msglen);
	return r;
}

static int bt_from_json_proto(const json_t *j, int proto, struct addr *out, char *msg,
			      size_t msglen)
{
	unsigned long long n = 0, chan = 0;
	int r;

	switch (proto) {
	case BT_L2CAP: {
		struct bt_sockaddr_l2 *a = (struct bt_sockaddr_l2 *)&out->u.ss;

		r = bt_pair(j, UINT16_MAX, "psm", &a->l2_bdaddr, &n, msg, msglen);
		if (r < 0)
			return r;
		a->l2_family = AF_BLUETOOTH;
		a->l2_psm = htole16((uint16_t)n);
		out->len = sizeof(*a);
		return 0;
	}
	case BT_RFCOMM: {
		struct bt_sockaddr_rc *a = (struct bt_sockaddr_rc *)&out->u.ss;

		r = bt_pair(j, UINT8_MAX, "channel", &a->rc_bdaddr, &n, msg, msglen);
		if (r < 0)
			return r;
		a->rc_family = AF_BLUETOOTH;
		a->rc_channel = (uint8_t)n;
		out->len = sizeof(*a);
		return 0;
	}
	case BT_HCI: {
		struct bt_sockaddr_hci *a = (struct bt_sockaddr_hci *)&out->u.ss;

		r = proto_check_array(j, &proto_bluetooth, 1, 2, msg, msglen);
		if (r == 0)
			r = proto_get_uint(json_array_get(j, 0), UINT16_MAX, names_bt, "device_id",
					   &n, msg, msglen);
		if (r == 0 && json_array_size(j) == 2)
			r = proto_get_uint(json_array_get(j, 1), UINT16_MAX, names_bt, "channel",
					   &chan, msg, msglen);
		if (r < 0)
			return r;
		a->hci_family = AF_BLUETOOTH;
		a->hci_dev = (unsigned short)n;
		a->hci_channel = (unsigned short)chan;
		out->len = sizeof(*a);
		return 0;
	}
	case BT_SCO: {
		struct bt_sockaddr_sco *a = (struct bt_sockaddr_sco *)&out->u.ss;

		r = bt_get_bdaddr(j, &a->sco_bdaddr, msg, msglen);
		if (r < 0)
			return r;
		a->sco_family = AF_BLUETOOTH;
		out->len = sizeof(*a);
		return 0;
	}
	}
	return proto_err(msg, msglen,
			 "AF_BLUETOOTH addresses are for BTPROTO_L2CAP, BTPROTO_RFCOMM, "
			 "BTPROTO_HCI or BTPROTO_SCO sockets, not protocol %d",
			 proto);
}

/* Without the socket's protocol: a string is SCO, [device_id] HCI; [bdaddr, n] needs it. */
static int bt_from_json(const json_t *j, int family, struct addr *out, struct addr_name *name,
			char *msg, size_t msglen)
{
	if (json_is_string(j))
		return bt_from_json_proto(j, BT_SCO, out, msg, msglen);
	if (json_is_array(j) && json_is_integer(json_array_get(j, 0)))
		return bt_from_json_proto(j, BT_HCI, out, msg, msglen);
	return proto_err(msg, msglen,
			 "an AF_BLUETOOTH address [\"bdaddr\", n] is read by the socket's "
			 "protocol (BTPROTO_L2CAP or BTPROTO_RFCOMM): make the socket first");
}

/* The kernel gives each protocol's struct whole: the length tells which. */
static json_t *bt_to_json(const struct sockaddr *sa, socklen_t len)
{
	if (len == sizeof(struct bt_sockaddr_l2)) {
		struct bt_sockaddr_l2 a;

		memcpy(&a, sa, sizeof(a));
		return json_pack("[o,i]", bt_bdaddr_json(&a.l2_bdaddr), le16toh(a.l2_psm));
	}
	if (len == sizeof(struct bt_sockaddr_rc)) {
		struct bt_sockaddr_rc a;

		memcpy(&a, sa, sizeof(a));
		return json_pack("[o,i]", bt_bdaddr_json(&a.rc_bdaddr), a.rc_channel);
	}
	if (len == sizeof(struct bt_sockaddr_sco)) {
		struct bt_sockaddr_sco a;

		memcpy(&a, sa, sizeof(a));
		return bt_bdaddr_json(&a.sco_bdaddr);
	}
	if (len == sizeof(struct bt_sockaddr_hci)) {
		struct bt_sockaddr_hci a;

		memcpy(&a, sa, sizeof(a));
		return json_integer(a.hci_dev);
	}
	return proto_raw_to_json(sa, len);
}

const struct proto proto_bluetooth = {
    .family = AF_BLUETOOTH,
    .name = "AF_BLUETOOTH",
    .form = BT_FORM,
    .from_json = bt_from_json,
    .from_json_proto = bt_from_json_proto,
    .to_json = bt_to_json,
    .protos = names_bt_proto,
};
