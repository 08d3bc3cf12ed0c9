#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo take their argument through `...`, which Swift cannot
   call: one wrapper per argument type kura passes. */

typedef size_t (*kura_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode kura_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kura_curl_set_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kura_curl_set_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kura_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kura_curl_set_callback(CURL *handle, CURLoption option, kura_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode kura_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
