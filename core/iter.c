/* iter.c — the ENTER/EXIT walk writers use instead of recursion. */
#include "internal.h"

void oct_iter_init(oct_iter *it, const oct_node *root)
{
    it->root = root;
    it->node = root;
    it->event = root ? OCT_EVENT_NONE : OCT_EVENT_DONE;
    it->exit_next = 0;
}

static int is_container(const oct_node *n) { return !oct_node_type_is_leaf((oct_node_type)n->type); }

oct_event oct_iter_next(oct_iter *it)
{
    const oct_node *n = it->node;
    switch (it->event) {
    case OCT_EVENT_DONE:
        return OCT_EVENT_DONE;
    case OCT_EVENT_NONE:
        return it->event = OCT_EVENT_ENTER;
    case OCT_EVENT_ENTER:
        if (is_container(n)) {
            if (it->exit_next || !n->first_child) {
                it->exit_next = 0;
                return it->event = OCT_EVENT_EXIT;
            }
            it->node = n->first_child;
            return it->event = OCT_EVENT_ENTER;
        }
        break;
    case OCT_EVENT_EXIT:
        break;
    }
    /* Leaving n (a leaf just entered, or a container just exited). */
    if (n == it->root) {
        it->node = it->root;
        return it->event = OCT_EVENT_DONE;
    }
    if (n->next) {
        it->node = n->next;
        return it->event = OCT_EVENT_ENTER;
    }
    it->node = n->parent;
    return it->event = OCT_EVENT_EXIT;
}

void oct_iter_skip_children(oct_iter *it)
{
    if (it->event == OCT_EVENT_ENTER && is_container(it->node)) it->exit_next = 1;
}
