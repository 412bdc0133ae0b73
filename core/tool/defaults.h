/* defaults.h — a defaults file: the command line's options kept in YAML, so a
 * CI job can keep them in its repository (like pandoc's --defaults). */
#ifndef OCTAVO_TOOL_DEFAULTS_H
#define OCTAVO_TOOL_DEFAULTS_H

/* Receives each option: key is a long option name (or input-files,
 * metadata, variables), value its text; returns 0 or an exit status. */
typedef int (*defaults_apply_fn)(void *userdata, const char *key, const char *value);

/* Reads path, a YAML mapping whose values are scalars, lists of scalars, or
 * (for metadata and variables) mappings of scalars or lists of scalars;
 * mapping entries come out as "name=value". Returns 0, or 2 after printing a
 * one-line error naming the file and line. */
int defaults_load(const char *path, defaults_apply_fn apply, void *userdata);

#endif
