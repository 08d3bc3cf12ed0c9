#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

/* libcurl is loaded when the S3 backend first needs it (dlopen), not when kura starts: linked, it
   and what it links (TLS, Kerberos, LDAP, SSH, IDN, brotli, ...: some thirty libraries) were read
   from disk by every command, about 0.07 s from a cold page cache, and a host backing up to a local
   repository had to have them. Each function kura calls is a field named after it, typed from
   libcurl's own declaration. */
#define KURA_CURL_FUNCTIONS(X) \
    X(curl_global_init) X(curl_easy_init) X(curl_easy_cleanup) X(curl_easy_reset) X(curl_easy_perform) \
    X(curl_easy_setopt) X(curl_easy_getinfo) X(curl_easy_strerror) X(curl_slist_append) X(curl_slist_free_all)

typedef struct kura_curl_api {
#define KURA_CURL_FIELD(name) __typeof__(&name) _Nonnull name;
    KURA_CURL_FUNCTIONS(KURA_CURL_FIELD)
#undef KURA_CURL_FIELD
} kura_curl_api;

/* dlopen of `name`, then dlsym of every function. Returns the functions, or NULL with
   `problem` set to dlerror's sentence. Called once (KuraStorage's CurlCalls.loaded). */
static inline const kura_curl_api *_Nullable kura_curl_load(const char *_Nonnull name,
                                                             const char *_Nullable *_Nonnull problem) {
    static kura_curl_api api;
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        *problem = dlerror();
        return NULL;
    }
#define KURA_CURL_RESOLVE(name) \
    if ((*(void **)&api.name = dlsym(library, #name)) == NULL) { *problem = dlerror(); return NULL; }
    KURA_CURL_FUNCTIONS(KURA_CURL_RESOLVE)
#undef KURA_CURL_RESOLVE
    return &api;
}

/* curl_easy_setopt and curl_easy_getinfo take their argument through `...`, which Swift cannot
   call: one wrapper per argument type kura passes. (The member names are parenthesized so that
   curl.h's type-checking macros of the same names are not expanded.) */

typedef size_t (*kura_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode kura_curl_set_long(const kura_curl_api *_Nonnull api, CURL *handle, CURLoption option, long value) {
    return (api->curl_easy_setopt)(handle, option, value);
}

static inline CURLcode kura_curl_set_offset(const kura_curl_api *_Nonnull api, CURL *handle, CURLoption option, curl_off_t value) {
    return (api->curl_easy_setopt)(handle, option, value);
}

static inline CURLcode kura_curl_set_pointer(const kura_curl_api *_Nonnull api, CURL *handle, CURLoption option, const void *value) {
    return (api->curl_easy_setopt)(handle, option, value);
}

static inline CURLcode kura_curl_set_list(const kura_curl_api *_Nonnull api, CURL *handle, CURLoption option, struct curl_slist *value) {
    return (api->curl_easy_setopt)(handle, option, value);
}

static inline CURLcode kura_curl_set_callback(const kura_curl_api *_Nonnull api, CURL *handle, CURLoption option, kura_curl_data_callback value) {
    return (api->curl_easy_setopt)(handle, option, value);
}

static inline CURLcode kura_curl_get_long(const kura_curl_api *_Nonnull api, CURL *handle, CURLINFO info, long *value) {
    return (api->curl_easy_getinfo)(handle, info, value);
}
