/*
 * rights.c: the rights a domain's request needs (include/monitor/rights.h).
 */
#include <monitor/proto.h>
#include <monitor/rights.h>
#include <lib/fmt.h>

uint32_t rights_needed(uint16_t type, const void *msg, unsigned here)
{
	switch (type) {
	case MON_STOP_CORE_REQ:
	case MON_RESTART_CORE_REQ:
	case MON_MUTE_CORE_REQ:
		return DOMAIN_RIGHT_STOP;
	case MON_BCAST:
		return DOMAIN_RIGHT_BCAST;
	case MON_SPAWN_REQ: {
		const struct mon_spawn_req *m = msg;
		return m->rights | (m->core != here ? DOMAIN_RIGHT_SPAWN : 0);
	}
	default:
		return 0;
	}
}

const char *rights_format(uint32_t mask, char *buf, size_t size)
{
	static const char *const names[] = DOMAIN_RIGHT_NAMES;
	size_t n = 0;

	if (size)
		buf[0] = 0;
	if (!mask)
		fmt_snprintf(buf, size, "none");
	for (unsigned i = 0; i < 32 && n < size; i++) {
		if (!(mask >> i & 1))
			continue;
		const char *sep = n ? "," : "";
		int k = i < DOMAIN_RIGHT_COUNT ?
			fmt_snprintf(buf + n, size - n, "%s%s", sep, names[i]) :
			fmt_snprintf(buf + n, size - n, "%s%#x", sep, 1u << i);
		if (k < 0)
			break;
		n += (size_t)k;
	}
	return buf;
}
