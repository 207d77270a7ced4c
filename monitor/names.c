/*
 * names.c: monitor 0's name registry (see include/monitor/names.h).
 *
 * The table is an unordered array of slots; a slot is in use exactly when
 * its name is non-empty, and t->count is the number of such slots.  Names
 * are validated before the table is read, so an entry always holds a
 * well-formed name, NUL-padded to PROGRAM_NAME_MAX.  Removal clears the whole
 * slot, so stale bytes of an old name never survive into a later one.
 */
#include <monitor/names.h>
#include <stdbool.h>

/* Length of a valid name (1..PROGRAM_NAME_MAX-1 printable characters), or 0. */
static size_t mon_name_len(const char *name)
{
	size_t n;

	if (!name)
		return 0;
	for (n = 0; n < PROGRAM_NAME_MAX && name[n] != 0; n++)
		if (name[n] < 0x20 || name[n] > 0x7e)
			return 0;
	return n < PROGRAM_NAME_MAX ? n : 0;
}

static bool mon_name_eq(const struct mon_name_entry *e, const char *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (e->name[i] != name[i])
			return false;
	return e->name[len] == 0;
}

static struct mon_name_entry *mon_names_find(const struct mon_names *t, const char *name,
					     size_t len)
{
	for (unsigned i = 0; i < t->cap; i++)
		if (t->slots[i].name[0] && mon_name_eq(&t->slots[i], name, len))
			return &t->slots[i];
	return NULL;
}

static void mon_names_clear(struct mon_names *t, struct mon_name_entry *e)
{
	for (size_t i = 0; i < sizeof e->name; i++)
		e->name[i] = 0;
	e->core = 0;
	e->domain_id = 0;
	t->count--;
}

void mon_names_init(struct mon_names *t, struct mon_name_entry *slots, unsigned cap)
{
	t->slots = slots;
	t->cap = cap;
	t->count = 0;
	for (unsigned i = 0; i < cap; i++) {
		for (size_t j = 0; j < sizeof slots[i].name; j++)
			slots[i].name[j] = 0;
		slots[i].core = 0;
		slots[i].domain_id = 0;
	}
}

err_t mon_names_register(struct mon_names *t, const char *name, uint32_t core,
			 uint32_t domain_id)
{
	size_t len = mon_name_len(name);
	struct mon_name_entry *e = NULL;

	if (len == 0)
		return ERR_INVAL;
	if (mon_names_find(t, name, len))
		return ERR_EXIST;
	for (unsigned i = 0; i < t->cap && !e; i++)
		if (t->slots[i].name[0] == 0)
			e = &t->slots[i];
	if (!e)
		return ERR_FULL;
	for (size_t i = 0; i < sizeof e->name; i++)
		e->name[i] = (char)(i < len ? name[i] : 0);
	e->core = core;
	e->domain_id = domain_id;
	t->count++;
	return ERR_OK;
}

err_t mon_names_lookup(const struct mon_names *t, const char *name, uint32_t *core,
		       uint32_t *domain_id)
{
	size_t len = mon_name_len(name);
	const struct mon_name_entry *e;

	if (len == 0)
		return ERR_INVAL;
	e = mon_names_find(t, name, len);
	if (!e)
		return ERR_NOENT;
	if (core)
		*core = e->core;
	if (domain_id)
		*domain_id = e->domain_id;
	return ERR_OK;
}

err_t mon_names_remove(struct mon_names *t, const char *name)
{
	size_t len = mon_name_len(name);
	struct mon_name_entry *e;

	if (len == 0)
		return ERR_INVAL;
	e = mon_names_find(t, name, len);
	if (!e)
		return ERR_NOENT;
	mon_names_clear(t, e);
	return ERR_OK;
}

unsigned mon_names_count_domain(const struct mon_names *t, uint32_t core, uint32_t domain_id)
{
	unsigned n = 0;

	for (unsigned i = 0; i < t->cap; i++) {
		const struct mon_name_entry *e = &t->slots[i];

		n += e->name[0] && e->core == core && e->domain_id == domain_id;
	}
	return n;
}

unsigned mon_names_remove_domain(struct mon_names *t, uint32_t core, uint32_t domain_id)
{
	unsigned n = 0;

	for (unsigned i = 0; i < t->cap; i++) {
		struct mon_name_entry *e = &t->slots[i];

		if (e->name[0] && e->core == core && e->domain_id == domain_id) {
			mon_names_clear(t, e);
			n++;
		}
	}
	return n;
}

unsigned mon_names_remove_core(struct mon_names *t, uint32_t core)
{
	unsigned n = 0;

	for (unsigned i = 0; i < t->cap; i++) {
		struct mon_name_entry *e = &t->slots[i];

		if (e->name[0] && e->core == core) {
			mon_names_clear(t, e);
			n++;
		}
	}
	return n;
}
