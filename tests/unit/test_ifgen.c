/*
 * Host tests of code the interface compiler generated from if/echo.if,
 * if/soak.if and if/pingpong.if (if/monitor.if has its own, test_proto.c): exact and variable
 * lengths, a length field that must equal the received length, zero-length
 * messages, which side may send what, and that a typed send puts exactly
 * the message's bytes on the channel.
 */
#define TEST_PROGRAM "ifgen"
#include "test.h"
#include <if/echo.h>
#include <if/soak.h>
#include <if/pingpong.h>
#include <stdlib.h>

static char why[128];

static void t_echo(void)
{
	struct echo_msg m = { 1, 2, 3, 4 };
	CHECK_EQ(echo_msg_check(ECHO_MSG, &m, sizeof m, 0, why, sizeof why), ERR_OK);
	CHECK_EQ(echo_msg_check(ECHO_MSG, &m, sizeof m - 1, 0, why, sizeof why), ERR_SYNTAX);
	CHECK_STR(why, "ECHO_MSG: length 23 != 24");
	CHECK_EQ(echo_msg_check(ECHO_BYE, NULL, 0, 0, why, sizeof why), ERR_OK);
	CHECK_EQ(echo_msg_check(ECHO_BYE, &m, 1, 0, why, sizeof why), ERR_SYNTAX);
	CHECK_STR(why, "ECHO_BYE: length 1 != 0");
	CHECK_EQ(echo_msg_check(3, &m, sizeof m, 0, why, sizeof why), ERR_SYNTAX);
	CHECK_STR(why, "unknown: type 3 not an echo message");
	CHECK_EQ(echo_msg_check(0, &m, sizeof m, 0, why, sizeof why), ERR_SYNTAX);
	CHECK(echo_may_send(ECHO_SIDE_CLIENT, ECHO_BYE));
	CHECK(!echo_may_send(ECHO_SIDE_SERVICE, ECHO_BYE));
	CHECK(echo_may_send(ECHO_SIDE_SERVICE, ECHO_MSG));
	CHECK(!echo_may_send(ECHO_SIDE_CLIENT, 0));
	CHECK_STR(echo_type_name(ECHO_BYE), "ECHO_BYE");
}

static void t_soak_lengths(void)
{
	struct soak_data d;
	memset(&d, 0, sizeof d);
	d.len = 16;
	CHECK_EQ(soak_msg_check(SOAK_DATA, &d, 16, 0, why, sizeof why), ERR_OK);
	d.len = SOAK_MAX_LEN;
	CHECK_EQ(soak_msg_check(SOAK_DATA, &d, SOAK_MAX_LEN, 0, why, sizeof why), ERR_OK);
	CHECK_EQ(soak_msg_check(SOAK_DATA, &d, 100, 0, why, sizeof why), ERR_SYNTAX);
	CHECK_STR(why, "SOAK_DATA: len 200 != length 100");
	CHECK_EQ(soak_msg_check(SOAK_DATA, &d, 15, 0, why, sizeof why), ERR_SYNTAX);
	CHECK_STR(why, "SOAK_DATA: length 15 not in 16..200");
	CHECK_EQ(soak_msg_check(SOAK_DATA, &d, 201, 0, why, sizeof why), ERR_SYNTAX);
	CHECK_STR(why, "SOAK_DATA: length 201 not in 16..200");
	CHECK_EQ(soak_msg_size(SOAK_DATA), SOAK_MAX_LEN);
	CHECK_EQ(soak_msg_size(SOAK_REPORT), sizeof(struct soak_report));
}

/* A typed send puts exactly len bytes on the wire; a bad len is refused. */
static void t_soak_send(void)
{
	size_t size = urpc_area_size(16);
	void *area = aligned_alloc(64, size);
	struct urpc_chan tx, rx;
	struct urpc_hooks hooks;
	struct soak_data d, r;
	uint16_t type = 0;
	size_t len = 0;

	memset(&hooks, 0, sizeof hooks);
	CHECK(area != NULL);
	if (!area)
		return;
	CHECK_EQ(urpc_area_init(area, size, 16, 0), ERR_OK);
	CHECK_EQ(urpc_chan_init(&tx, area, size, 0, &hooks), ERR_OK);
	CHECK_EQ(urpc_chan_init(&rx, area, size, 1, &hooks), ERR_OK);
	memset(&d, 0xab, sizeof d);
	d.len = 40;
	CHECK_EQ(soak_send_data(&tx, &d), ERR_OK);
	CHECK_EQ(urpc_try_recv(&rx, &type, &r, sizeof r, &len), ERR_OK);
	CHECK_EQ(type, SOAK_DATA);
	CHECK_EQ(len, 40);
	CHECK_EQ(soak_msg_check(type, &r, len, 0, why, sizeof why), ERR_OK);
	d.len = 8;
	CHECK_EQ(soak_send_data(&tx, &d), ERR_INVAL);
	CHECK_EQ(soak_batch_data(&d).len, 0);
	d.len = SOAK_MAX_LEN + 1;
	CHECK_EQ(soak_send_data(&tx, &d), ERR_INVAL);
	CHECK_EQ(urpc_try_recv(&rx, &type, &r, sizeof r, &len), ERR_EMPTY);
	free(area);
}

/* Nested structs, an err field, a bit field, who may send what. */
static void t_pingpong(void)
{
	struct pp_result r;
	memset(&r, 0, sizeof r);
	r.urpc.median = 1677;
	CHECK_EQ(pp_msg_check(PP_RESULT, &r, sizeof r, 0, why, sizeof why), ERR_OK);
	r.err = -99;
	CHECK_EQ(pp_msg_check(PP_RESULT, &r, sizeof r, 0, why, sizeof why), ERR_SYNTAX);
	CHECK_STR(why, "PP_RESULT: err -99 not an err_t code");
	r.err = ERR_TIMEOUT;
	r.samecore = 2;
	CHECK_EQ(pp_msg_check(PP_RESULT, &r, sizeof r, 0, why, sizeof why), ERR_SYNTAX);
	CHECK_STR(why, "PP_RESULT: samecore 2 not 0 or 1");
	CHECK_EQ(pp_msg_size(PP_STREAM), URPC_SLOT_PAYLOAD);
	CHECK_EQ(pp_msg_check(PP_STREAM_END, NULL, 0, 0, why, sizeof why), ERR_OK);
	CHECK(pp_may_send(PP_SIDE_SERVER, PP_STREAM_COUNT));
	CHECK(!pp_may_send(PP_SIDE_CLIENT, PP_STREAM_COUNT));
	CHECK(!pp_may_send(PP_SIDE_SERVER, PP_DONE));
	CHECK_EQ(pp_msg_size(PP_RING_START), sizeof(struct pp_trips));
	CHECK_EQ(pp_msg_check(PP_RING_START, &r, 4, 0, why, sizeof why), ERR_SYNTAX);
	CHECK(pp_may_send(PP_SIDE_CLIENT, PP_RING_START));
	CHECK(!pp_may_send(PP_SIDE_SERVER, PP_RING_START));
}

int main(void)
{
	RUN(t_echo);
	RUN(t_soak_lengths);
	RUN(t_soak_send);
	RUN(t_pingpong);
	return test_summary();
}
