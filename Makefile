# make install [PREFIX=/usr/local] [DESTDIR=] [KURA_BINARY=path/to/kura]
# Installs the stripped release binary (built with scripts/build-release when missing), the man pages,
# shell completions and the scheduling examples; see scripts/install and README "Installing".
PREFIX ?= /usr/local
DESTDIR ?=
KURA_BINARY ?=

.PHONY: all install uninstall

all:
	scripts/build-release

install:
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" KURA_BINARY="$(KURA_BINARY)" scripts/install

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/kura" \
	    "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/kura" \
	    "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_kura" \
	    "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/kura.fish"
	for page in man/*.1; do rm -f "$(DESTDIR)$(PREFIX)/share/man/man1/$${page#man/}"; done
	rm -f "$(DESTDIR)$(PREFIX)/share/man/man1"/kura.*.1
	for page in man/*.5; do rm -f "$(DESTDIR)$(PREFIX)/share/man/man5/$${page#man/}"; done
	rm -rf "$(DESTDIR)$(PREFIX)/share/kura/examples"
