#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <stddef.h>

/* libarchive is loaded when a media command first needs it (dlopen), not when kura starts: linked,
   it and what it links (libxml2, ICU's 30 MB of data, lzma, bz2, ...) were read from disk by every
   command, about 0.07 s from a cold page cache, and a backup host had to have it installed.
   Each function kura calls is a field named after it, typed from libarchive's own declaration. */
#define KURA_ARCHIVE_FUNCTIONS(X) \
    X(archive_entry_filetype) X(archive_entry_free) X(archive_entry_hardlink) X(archive_entry_new) \
    X(archive_entry_pathname) X(archive_entry_pathname_utf8) X(archive_entry_set_filetype) \
    X(archive_entry_set_gname) X(archive_entry_set_mtime) X(archive_entry_set_pathname_utf8) \
    X(archive_entry_set_perm) X(archive_entry_set_size) X(archive_entry_set_uname) X(archive_entry_size) \
    X(archive_entry_size_is_set) X(archive_entry_symlink) X(archive_errno) X(archive_error_string) \
    X(archive_read_data) X(archive_read_data_skip) X(archive_read_free) X(archive_read_new) \
    X(archive_read_next_header) X(archive_read_open) X(archive_read_support_format_tar) \
    X(archive_version_details) X(archive_write_close) X(archive_write_data) \
    X(archive_write_free) X(archive_write_header) X(archive_write_new) X(archive_write_open_fd) \
    X(archive_write_set_bytes_in_last_block) X(archive_write_set_bytes_per_block) \
    X(archive_write_set_format_pax_restricted)

typedef struct kura_archive_api {
#define KURA_ARCHIVE_FIELD(name) __typeof__(&name) _Nonnull name;
    KURA_ARCHIVE_FUNCTIONS(KURA_ARCHIVE_FIELD)
#undef KURA_ARCHIVE_FIELD
} kura_archive_api;

/* dlopen of `name`, then dlsym of every function. Returns the functions, or NULL with
   `problem` set to dlerror's sentence. Called once (KuraMedia's ArchiveCalls.loaded). */
static inline const kura_archive_api *_Nullable kura_archive_load(const char *_Nonnull name,
                                                                   const char *_Nullable *_Nonnull problem) {
    static kura_archive_api api;
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        *problem = dlerror();
        return NULL;
    }
#define KURA_ARCHIVE_RESOLVE(name) \
    if ((*(void **)&api.name = dlsym(library, #name)) == NULL) { *problem = dlerror(); return NULL; }
    KURA_ARCHIVE_FUNCTIONS(KURA_ARCHIVE_RESOLVE)
#undef KURA_ARCHIVE_RESOLVE
    return &api;
}
