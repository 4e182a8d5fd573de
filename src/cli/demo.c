/* placeholder replaced below */
#include "cli.h"
int cmd_demo(struct cli *c, struct zf_error *err)
{
	(void)c;
	return zf_fail(err, ZF_EREFUSED, "not_ready", "", "demo");
}
