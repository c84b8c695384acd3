#include "conf/state.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
state_prepare_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (stat(dir, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static int
read_counter(const char *path, unsigned *value)
{
	char text[16] = { 0 };
	char *end;
	unsigned long v;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return errno == ENOENT ? 1 : -errno;
	if (fgets(text, sizeof(text), f) == NULL)
		text[0] = '\0';
	fclose(f);
	v = strtoul(text, &end, 10);
	if (end == text || (*end != '\n' && *end != '\0') || v > 255)
		return -EINVAL;
	*value = (unsigned)v;
	return 0;
}

/* Write to a temporary file, fsync, rename: a crash leaves the old or the new value. */
static int
write_counter(const char *dir, const char *path, unsigned value)
{
	char tmp[PATH_MAX];
	char text[8];
	int fd, len, rc = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	len = snprintf(text, sizeof(text), "%u\n", value);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, text, (size_t)len) != len || fsync(fd) < 0)
		rc = -errno ? -errno : -EIO;
	close(fd);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc == 0) {
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			(void)fsync(fd);
			close(fd);
		}
	}
	return rc;
}

int
state_bump_restart_counter(const char *dir, uint8_t *counter)
{
	char path[PATH_MAX];
	unsigned value = 0;
	int rc;

	if (snprintf(path, sizeof(path), "%s/restart_counter", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	rc = read_counter(path, &value);
	if (rc < 0)
		return rc;
	/* First start: 0; then each start adds one, wrapping as the one-octet IE does. */
	value = rc == 1 ? 0 : (value + 1) % 256;
	rc = write_counter(dir, path, value);
	if (rc < 0)
		return rc;
	*counter = (uint8_t)value;
	return 0;
}
