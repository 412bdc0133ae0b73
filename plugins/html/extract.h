/*
 * extract.h — finds the main article content of a web page.
 *
 * Works on a libxml2 HTML DOM the way Readability.js does: strips scripts,
 * hidden and unlikely nodes, scores paragraph containers by text length,
 * commas, link density and class/id hints, joins related siblings of the best
 * one and cleans clutter (share bars, forms, link lists, ads) out of it. When
 * too little is found it retries with relaxed rules; when no container
 * scores at all, an itemprop=articleBody, <article> or <main> is taken.
 * Lazy-loaded images get their real source (from <noscript> or data-*
 * attributes) the way Readability fixes them. The in-page byline and the
 * heading repeating the title are dropped (the reader has them as metadata);
 * <h1> inside the article become <h2>.
 *
 * Every walk is iterative and the whole run is linear in the size of the DOM.
 */
#ifndef OCTAVO_HTML_EXTRACT_H
#define OCTAVO_HTML_EXTRACT_H

#include <libxml/HTMLparser.h>
#include <octavo/octavo.h>

typedef struct oct_extract_result {
    xmlNodePtr content; /* subtree to map, or NULL = whole body */
    int confident;      /* 1 when enough text was found under the normal rules */
} oct_extract_result;

/* Finds the main article content in an HTML DOM; may remove nodes from the
 * DOM (clutter). Returns 0 on success (content may still be NULL when the
 * page has no body or no text), -1 on bad arguments or out of memory, in
 * which case the body is left as it was after script/style removal.
 *
 * On success with a content node, the document's body holds exactly that one
 * element and every node's _private is NULL. ctx may be NULL (no logging). */
int oct_html_extract(xmlDocPtr doc, oct_context *ctx, oct_extract_result *out);

#endif
