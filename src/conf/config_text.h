#ifndef VPG_CONF_CONFIG_TEXT_H
#define VPG_CONF_CONFIG_TEXT_H

#include <stddef.h>

/*
 * The bootstrap file's text before JSON sees it. The file may hold
 * full-line comments: a line whose first non-blank characters are "//".
 * JSON itself has none, so each is blanked in place: its characters become
 * spaces up to the line's end, and jansson then reports a syntax error at
 * the line and column an editor shows. A "//" after other text on the same
 * line is left alone (it may be inside a string, "http://..."), and JSON
 * then refuses it where it stands.
 *
 * Returns how many lines were comments.
 */
size_t config_text_blank_comments(char *text, size_t len);

/*
 * The whole file at path, NUL-terminated, in *text (free it), its length in
 * *len. Returns 0, or a negative errno.
 */
int config_text_read(const char *path, char **text, size_t *len);

#endif
