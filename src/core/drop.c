#include "core/drop.h"

static const char *const drop_names[VPG_DROP__COUNT] = {
#define VPG_DROP_NAME(name, text) [VPG_DROP_##name] = text,
	VPG_CODEC_DROP_LIST(VPG_DROP_NAME) VPG_GW_DROP_LIST(VPG_DROP_NAME)
#undef VPG_DROP_NAME
};

const char *
vpg_drop_name(unsigned reason)
{
	if (reason >= VPG_DROP__COUNT)
		return "invalid";
	return drop_names[reason];
}
