#include "conf/config_text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Blanks the comment that starts at text[i], if one does; the index of the line's end. */
static size_t
blank_line(char *text, size_t len, size_t i, bool *comment)
{
	size_t j = i;

	while (j < len && (text[j] == ' ' || text[j] == '\t'))
		j++;
	*comment = j + 1 < len && text[j] == '/' && text[j + 1] == '/';
	for (; j < len && text[j] != '\n'; j++)
		if (*comment)
			text[j] = ' ';
	return j;
}

size_t
config_text_blank_comments(char *text, size_t len)
{
	size_t n = 0;

	/* O(len): each character is looked at once. */
	for (size_t i = 0; i < len; i++) {
		bool comment;

		i = blank_line(text, len, i, &comment);
		n += comment;
	}
	return n;
}

/* Reads until the end of fd into a buffer that grows by doubling. */
static int
read_all(int fd, char **text, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	while (buf != NULL) {
		ssize_t got;

		if (n + 1 == cap) {
			char *bigger = realloc(buf, cap * 2);

			if (bigger == NULL)
				break;
			buf = bigger;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int rc = -errno;

			free(buf);
			return rc;
		}
		if (got == 0) {
			buf[n] = '\0';
			*text = buf;
			*len = n;
			return 0;
		}
		n += (size_t)got;
	}
	free(buf);
	return -ENOMEM;
}

int
config_text_read(const char *path, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -errno;
	rc = read_all(fd, text, len);
	close(fd);
	return rc;
}
