/* budget_rule.h - private to budget.c: one budget-file line's grammar
 * (budget_rule.c), split off to keep each file short. Not an API.
 *
 * Cost: O(line length); one allocation per rule.
 */
#ifndef RTT_BUDGET_RULE_H
#define RTT_BUDGET_RULE_H

#include <stddef.h>

#include "budget.h"

#define RTT_BUDGET_WHY 2048 /* size of the message buffer `why` */

/* Parse line s[0..n) (no line end; no control characters but tab) into *r
 * (zeroed by the caller, r->line set). Returns 1 (a rule), 0 (blank or only
 * a comment) or -1 (what is wrong in why, without file and line). *block is
 * set to the malloc'd storage of r->text and the filter values, or NULL;
 * the caller frees it on 0 or -1 and keeps it with the rule on 1. */
int rtt_budget_rule_parse(const char *s, size_t n, rtt_budget_rule_t *r, char **block,
                          char *why);

/* Powers of ten from ns of a duration unit ("ms" -> 6), or -1. */
int rtt_budget_unit_exp10(const char *unit);

#endif /* RTT_BUDGET_RULE_H */
