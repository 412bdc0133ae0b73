/*
 * page_memory.c — the memory libxml2 uses for one page, taken from an
 * arena and given back whole when the page has been read.
 *
 * Why: a page's tree is hundreds of thousands of small blocks (nodes,
 * names, attribute values, text), each malloc'ed by the parser, many freed
 * again by the extractor, and all freed one by one by xmlFreeDoc. On the
 * debian-reference book that malloc/free traffic and the final tree walk
 * cost about a fifth of the whole conversion. libxml2 lets a program choose
 * its allocator (xmlMemSetup); ours hands out arena memory while a page is
 * being read on the calling thread and plain malloc memory otherwise, so
 * the writers and every other thread see libxml2 as before.
 *
 * The rules that keep this safe:
 *  - While a page is open on a thread, every libxml2 allocation on that
 *    thread comes from its arena, and freeing arena memory does nothing.
 *    Memory malloc'ed before the page opened is still freed with free().
 *  - No arena pointer outlives the page: everything the reader keeps is
 *    copied into the model, and libxml2's per-thread "last error" copy is
 *    reset before the arena goes.
 *  - The arena is bounded. Beyond its budget new blocks come from malloc
 *    again ("spilled"), and closing the page then frees the tree the
 *    ordinary way before dropping the arena.
 *  - The hooks stay installed for the life of the process, and the plugin
 *    holding them stays mapped as long: they are installed by its init,
 *    which runs only for a plugin the registry accepts, and an accepted
 *    plugin is never unmapped (core/registry.c, keep_mapped).
 *
 * Under AddressSanitizer freed and unused arena bytes are poisoned, so a
 * use after free inside the tree is reported as it would be with malloc.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>

#include "html.h"

#if defined(__has_include)
#if __has_include(<sanitizer/asan_interface.h>)
#include <sanitizer/asan_interface.h>
#endif
#endif
#ifndef ASAN_POISON_MEMORY_REGION
#define ASAN_POISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#endif

/* Blocks are 16-byte aligned, like malloc's, with their size in the 8 bytes
 * before them (realloc needs it). */
#define ALIGN 16
#define HEADER 8
/* Chunks of one size, small enough for malloc to hand the same memory to
 * the next page (fresh memory costs a page fault per 4 KiB: a chunk sized
 * to each page came from mmap every time and doubled the faults). A block
 * bigger than a quarter of a chunk gets a chunk of its own. */
#define CHUNK_SIZE ((size_t)1 << 20)
/* The budget: enough for any page's tree many times over; a page that
 * needs more (libxml2 growing blocks that are not the last one, say) goes
 * on with malloc. */
#define BUDGET_PER_INPUT_BYTE 64
#define BUDGET_MIN (64u * 1024 * 1024)
/* The node lane's room is taken NODE_RUN bytes at a time: 512 nodes. */
#define NODE_RUN ((size_t)64 << 10)

typedef struct chunk {
    size_t size; /* usable bytes after the struct */
    size_t used;
    /* The blocks follow, from an ALIGN-aligned offset. */
} chunk;

struct html_page_memory {
    chunk *newest;       /* where the general lane's blocks are carved from */
    /* The node lane's current run (see carve), within the general lane. */
    unsigned char *node_next, *node_end;
    chunk **chunks;      /* all of them, big blocks' too, by address */
    size_t n_chunks, cap_chunks;
    unsigned char *last; /* the newest block, which realloc may grow in place */
    size_t total;        /* bytes of all chunks */
    size_t budget;
    int spilled;         /* some page memory came from malloc */
};

/* The page open on this thread, if any. Initial-exec: one load from the
 * thread pointer on every libxml2 allocation, and LeakSanitizer scans it
 * with the thread (it crashed on this module's dynamic TLS block). */
static __thread html_page_memory *open_page __attribute__((tls_model("initial-exec")));
static int hooks_installed;
/* The allocator the hooks replaced (plain malloc, or a host's own): what
 * is not page memory goes to it. */
static xmlFreeFunc outer_free = free;
static xmlMallocFunc outer_malloc = malloc;
static xmlReallocFunc outer_realloc = realloc;

static unsigned char *chunk_start(chunk *c)
{
    return (unsigned char *)c + ((sizeof(chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1));
}

static int chunk_holds(chunk *c, const void *p)
{
    const unsigned char *s = chunk_start(c);
    return (const unsigned char *)p >= s && (const unsigned char *)p < s + c->used;
}

/* Most frees are of blocks just made; the rest find their chunk by binary
 * search (a big page has hundreds of chunks, and a list would make the
 * extractor's frees quadratic). */
static int page_holds(const html_page_memory *pm, const void *p)
{
    if (pm->newest && chunk_holds(pm->newest, p))
        return 1;
    size_t lo = 0, hi = pm->n_chunks; /* the last chunk starting at or below p */
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if ((const void *)pm->chunks[mid] <= p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && chunk_holds(pm->chunks[lo - 1], p);
}

/* Files c among the page's chunks, in address order. */
static int add_chunk(html_page_memory *pm, chunk *c)
{
    if (pm->n_chunks == pm->cap_chunks) {
        const size_t cap = pm->cap_chunks ? pm->cap_chunks * 2 : 16;
        chunk **grown = realloc(pm->chunks, cap * sizeof *grown);
        if (!grown)
            return 0;
        pm->chunks = grown;
        pm->cap_chunks = cap;
    }
    size_t at = pm->n_chunks;
    while (at > 0 && (void *)pm->chunks[at - 1] > (void *)c)
        at--;
    memmove(pm->chunks + at + 1, pm->chunks + at, (pm->n_chunks - at) * sizeof *pm->chunks);
    pm->chunks[at] = c;
    pm->n_chunks++;
    return 1;
}

static size_t block_size(const void *p)
{
    size_t n;
    memcpy(&n, (const unsigned char *)p - HEADER, sizeof n);
    return n;
}

static void set_block_size(void *p, size_t n)
{
    memcpy((unsigned char *)p - HEADER, &n, sizeof n);
}

/* Bytes a block of n takes in a chunk, header included, keeping the next
 * block aligned. */
static size_t footprint(size_t n)
{
    return (HEADER + n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static chunk *new_chunk(html_page_memory *pm, size_t usable)
{
    if (pm->total + usable > pm->budget)
        return NULL;
    const size_t head = (sizeof(chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    chunk *c = malloc(head + usable);
    if (!c)
        return NULL;
    if (!add_chunk(pm, c)) {
        free(c);
        return NULL;
    }
    c->size = usable;
    /* The first header sits just before an aligned block. */
    c->used = ALIGN - HEADER;
    pm->total += usable;
    ASAN_POISON_MEMORY_REGION(chunk_start(c), usable);
    return c;
}

/* n bytes at the end of chunk c, which has room for them. */
static unsigned char *take(chunk *c, size_t n)
{
    unsigned char *p = chunk_start(c) + c->used + HEADER;
    c->used += footprint(n);
    ASAN_UNPOISON_MEMORY_REGION(p - HEADER, HEADER + n);
    set_block_size(p, n);
    return p;
}

/* A block from the general lane, or NULL when the budget is spent. */
static void *carve_general(html_page_memory *pm, size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX / 2)
        return NULL;
    const size_t need = footprint(n);
    chunk *c = pm->newest;
    if (!c || c->size - c->used < need) {
        if (need > CHUNK_SIZE / 4) {
            chunk *own = new_chunk(pm, need + ALIGN);
            /* not "last": nothing follows it in its chunk */
            return own ? take(own, n) : NULL;
        }
        chunk *fresh = new_chunk(pm, CHUNK_SIZE);
        if (!fresh)
            return NULL;
        pm->newest = c = fresh;
    }
    pm->last = take(c, n);
    return pm->last;
}

/* A block from the node lane, or NULL when the budget is spent. The lane
 * takes its room from the general one a run at a time, so that a small page
 * still fits in one chunk: a second chunk for every page made malloc give
 * the memory back to the system after each page of a batch and fault it in
 * again for the next (twice the page faults over 1,065 pages). */
static void *carve_node(html_page_memory *pm)
{
    const size_t need = footprint(sizeof(xmlNode));
    if (!pm->node_next || (size_t)(pm->node_end - pm->node_next) < need) {
        unsigned char *run = carve_general(pm, NODE_RUN - HEADER);
        if (!run)
            return NULL;
        pm->last = NULL; /* nothing may grow into the nodes */
        ASAN_POISON_MEMORY_REGION(run, NODE_RUN - HEADER);
        /* Its blocks are laid out as the chunk's are, from the run's own
         * header on. */
        pm->node_next = run - HEADER;
        pm->node_end = pm->node_next + footprint(NODE_RUN - HEADER);
    }
    unsigned char *p = pm->node_next + HEADER;
    pm->node_next += need;
    ASAN_UNPOISON_MEMORY_REGION(p - HEADER, HEADER + sizeof(xmlNode));
    set_block_size(p, sizeof(xmlNode));
    return p;
}

/* A block from the arena, or NULL when the budget is spent. Nodes have a
 * lane of their own: the passes over a page's tree step from node to node
 * (type, children, next, parent) hundreds of thousands of times, and with
 * the names, attributes and text of every node between them each step was
 * a cache miss. Packed in the order the parser makes them, which is the
 * order the passes walk them, the processor fetches them ahead: on the
 * debian-reference book that took the stepping from a sixth of the whole
 * conversion's time to a twentieth. */
static void *carve(html_page_memory *pm, size_t n)
{
    return n == sizeof(xmlNode) ? carve_node(pm) : carve_general(pm, n);
}

/* p, the page's block of n bytes, or when the budget is spent a malloc'ed
 * one: the page has spilled. */
static void *or_spill(html_page_memory *pm, void *p, size_t n)
{
    if (p)
        return p;
    pm->spilled = 1;
    return outer_malloc(n);
}

static void *page_malloc(size_t n)
{
    html_page_memory *pm = open_page;
    return pm ? or_spill(pm, carve(pm, n), n) : outer_malloc(n);
}

static void page_free(void *p)
{
    html_page_memory *pm = open_page;
    if (!p)
        return;
    if (pm && page_holds(pm, p)) {
        ASAN_POISON_MEMORY_REGION(p, block_size(p));
        return;
    }
    outer_free(p);
}

static void *page_realloc(void *p, size_t n)
{
    html_page_memory *pm = open_page;
    if (!pm || !p || !page_holds(pm, p))
        return p ? outer_realloc(p, n) : page_malloc(n);
    const size_t old = block_size(p);
    /* The newest block grows where it is while its chunk has room. */
    if (p == pm->last && n <= SIZE_MAX / 2) {
        chunk *c = pm->newest;
        const size_t start = (size_t)((unsigned char *)p - HEADER - chunk_start(c));
        if (start + footprint(n) <= c->size) {
            c->used = start + footprint(n);
            ASAN_UNPOISON_MEMORY_REGION(p, n);
            if (n < old)
                ASAN_POISON_MEMORY_REGION((unsigned char *)p + n, old - n);
            set_block_size(p, n);
            return p;
        }
    }
    void *q = page_malloc(n);
    if (!q)
        return NULL;
    memcpy(q, p, old < n ? old : n);
    ASAN_POISON_MEMORY_REGION(p, old);
    return q;
}

void *html_page_memory_aside(size_t n)
{
    html_page_memory *pm = open_page;
    return pm ? or_spill(pm, carve_general(pm, n), n) : xmlMalloc(n);
}

static char *page_strdup(const char *s)
{
    const size_t n = strlen(s) + 1;
    char *p = page_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static void free_chunks(html_page_memory *pm)
{
    for (size_t i = 0; i < pm->n_chunks; i++) {
        ASAN_UNPOISON_MEMORY_REGION(chunk_start(pm->chunks[i]), pm->chunks[i]->size);
        free(pm->chunks[i]);
    }
    free(pm->chunks);
}

static void install_hooks(void)
{
    xmlFreeFunc f;
    xmlMallocFunc m;
    xmlReallocFunc r;
    xmlStrdupFunc d;
    if (xmlMemGet(&f, &m, &r, &d) == 0 && f && m && r) {
        outer_free = f;
        outer_malloc = m;
        outer_realloc = r;
    }
    if (xmlMemSetup(page_free, page_malloc, page_realloc, page_strdup) == 0)
        hooks_installed = 1;
}

void html_page_memory_install(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_hooks);
}

html_page_memory *html_page_memory_open(size_t input_len)
{
    return html_page_memory_open_within(
        input_len < (SIZE_MAX - BUDGET_MIN) / BUDGET_PER_INPUT_BYTE
                       ? BUDGET_MIN + input_len * BUDGET_PER_INPUT_BYTE
                       : SIZE_MAX);
}

html_page_memory *html_page_memory_open_within(size_t budget)
{
    if (!hooks_installed || open_page)
        return NULL;
    /* Someone may have put another allocator in since: then the page's
     * memory would not be ours, and its tree must be freed as usual. */
    xmlFreeFunc f = NULL;
    xmlMemGet(&f, NULL, NULL, NULL);
    if (f != page_free)
        return NULL;
    /* libxml2 sets up its global tables (encoding handlers...) with
     * xmlMalloc on first use, and again after xmlCleanupParser: that must
     * not happen inside a page, whose memory goes when the page does. */
    xmlInitParser();
    html_page_memory *pm = calloc(1, sizeof *pm);
    if (!pm)
        return NULL;
    pm->budget = budget;
    open_page = pm;
    return pm;
}


void html_page_memory_close(html_page_memory *pm, xmlDocPtr dom)
{
    if (!pm) {
        xmlFreeDoc(dom);
        return;
    }
    /* Blocks from malloc hang in the tree too: free it while the arena
     * still answers for its own blocks. */
    if (pm->spilled)
        xmlFreeDoc(dom);
    /* libxml2 keeps a copy of the page's last error for this thread. */
    xmlResetLastError();
    open_page = NULL;
    free_chunks(pm);
    free(pm);
}

size_t html_page_memory_used(const html_page_memory *pm) { return pm ? pm->total : 0; }

int html_page_memory_spilled(const html_page_memory *pm) { return pm ? pm->spilled : 0; }
