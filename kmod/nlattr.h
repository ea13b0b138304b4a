/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attributes written in groups: the caller checks once that the skb has
 * room for the whole group (sockstat_nla_room(), with the sizes below),
 * then writes each attribute with a store.  nla_put_u32() and its kin
 * check the tailroom, reserve and copy through three or four calls for
 * every attribute; a socket's message has 10 to 50 of them, and writing
 * them was a tenth of a brief dump's time.
 *
 * The bytes these write are those nla_put() writes: the padding of an
 * attribute is zeroed, and a u64 gets the pad attribute nla_put_u64_64bit()
 * would give it.  Only for a linear skb (every netlink message we build).
 */
#ifndef SOCKSTAT_NLATTR_H
#define SOCKSTAT_NLATTR_H

#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/netlink.h>

/* The most each kind takes, padding included. */
#define SOCKSTAT_NLA_FLAG	nla_total_size(0)
#define SOCKSTAT_NLA_NUM	nla_total_size(sizeof(u32))	/* u8, u16, u32 */
#define SOCKSTAT_NLA_U64	nla_total_size_64bit(sizeof(u64))
#define SOCKSTAT_NLA_NEST	nla_total_size(0)

static inline bool sockstat_nla_room(const struct sk_buff *skb, int size)
{
	return skb_tailroom(skb) >= size;
}

/* An attribute's header and room for @len bytes, its padding zeroed. */
static inline void *sockstat_nla_reserve(struct sk_buff *skb, int type, int len)
{
	struct nlattr *nla = __skb_put(skb, nla_total_size(len));

	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	if (nla_padlen(len))
		memset((u8 *)nla_data(nla) + len, 0, nla_padlen(len));
	return nla_data(nla);
}

static inline void sockstat_nla_flag(struct sk_buff *skb, int type)
{
	sockstat_nla_reserve(skb, type, 0);
}

static inline void sockstat_nla_u8(struct sk_buff *skb, int type, u8 value)
{
	*(u8 *)sockstat_nla_reserve(skb, type, sizeof(value)) = value;
}

static inline void sockstat_nla_u16(struct sk_buff *skb, int type, u16 value)
{
	*(u16 *)sockstat_nla_reserve(skb, type, sizeof(value)) = value;
}

static inline void sockstat_nla_u32(struct sk_buff *skb, int type, u32 value)
{
	*(u32 *)sockstat_nla_reserve(skb, type, sizeof(value)) = value;
}

/* Aligned to 8 bytes where the architecture needs it, as nla_put_u64_64bit(). */
static inline void sockstat_nla_u64(struct sk_buff *skb, int type, u64 value,
				    int padattr)
{
	if (nla_need_padding_for_64bit(skb))
		sockstat_nla_reserve(skb, padattr, 0);
	memcpy(sockstat_nla_reserve(skb, type, sizeof(value)), &value, sizeof(value));
}

static inline void sockstat_nla_bytes(struct sk_buff *skb, int type,
				      const void *data, int len)
{
	memcpy(sockstat_nla_reserve(skb, type, len), data, len);
}

/* A nest's header; sockstat_nla_nest_end() sets its length. */
static inline struct nlattr *sockstat_nla_nest_start(struct sk_buff *skb, int type)
{
	struct nlattr *nest = (struct nlattr *)skb_tail_pointer(skb);

	sockstat_nla_reserve(skb, type | NLA_F_NESTED, 0);
	return nest;
}

static inline void sockstat_nla_nest_end(struct sk_buff *skb, struct nlattr *nest)
{
	nest->nla_len = skb_tail_pointer(skb) - (unsigned char *)nest;
}

#endif /* SOCKSTAT_NLATTR_H */
