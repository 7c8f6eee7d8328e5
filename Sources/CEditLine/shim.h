#ifndef CEDITLINE_SHIM_H
#define CEDITLINE_SHIM_H

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* libedit's readline-compatible API. Not <readline/readline.h>: where GNU readline's headers are
   also installed, that name resolves to them while the module still links libedit. */
#include <editline/readline.h>

/* A system library target compiles no C files, so every helper here is `static inline`.
   Swift 6 rejects direct use of mutable C globals, so each libedit global that slsx sets or reads
   has a function here. */

/* MARK: - Settings */

/* Sets the application name libedit uses for `$if` sections in ~/.editrc. The argument must live
   for the whole program, such as a string literal. */
static inline void slsx_set_readline_name(const char *name) {
  rl_readline_name = name;
}

/* Installs the completion callback. libedit calls it with the word before the cursor and the offsets
   of that word in the line, counted in wide characters. The callback returns NULL for no matches,
   or a malloc'd, NULL-terminated array of malloc'd strings, which libedit frees. */
static inline void slsx_set_attempted_completion(rl_completion_func_t *function) {
  rl_attempted_completion_function = function;
}

/* Sets the characters that end a word for completion; the string must live for the whole program. */
static inline void slsx_set_word_break_characters(const char *characters) {
  rl_basic_word_break_characters = characters;
  rl_completer_word_break_characters = (char *)characters;
}

/* Tells libedit not to fall back to file name completion when the callback returns NULL.
   libedit resets this flag before each completion, so the callback sets it every time. */
static inline void slsx_set_attempted_completion_over(int over) {
  rl_attempted_completion_over = over;
}

/* Sets the character inserted after a single completion; 0 inserts nothing. */
static inline void slsx_set_completion_append_character(int character) {
  rl_completion_append_character = character;
}

/* Sets how many matches libedit lists without asking "Display all N possibilities?" first. */
static inline void slsx_set_completion_query_items(int count) {
  rl_completion_query_items = count;
}

/* MARK: - Reading the line during completion */

/* The line being edited, valid only inside the completion callback. */
static inline const char *slsx_line_buffer(void) {
  return rl_line_buffer;
}

/* MARK: - Ctrl-C */

/* Set by slsx_interrupt_handler when SIGINT arrives; read and cleared by the functions below.
   NOTE: a static variable in a header has one copy per translation unit, so every Swift use of
   these functions must stay in one Swift source file (EditLineReader.swift). */
static volatile sig_atomic_t slsx_interrupt_flag = 0;

static void slsx_interrupt_handler(int signal_number) {
  (void)signal_number;
  slsx_interrupt_flag = 1;
}

/* Installs the SIGINT handler that records Ctrl-C. While readline() waits for a key, libedit's own
   handler runs first, restores the terminal and passes the signal on to this one. The interrupted
   read() then makes readline() return at once (checked with libedit 3.1-20221030 in tmux).
   Without SA_RESTART here, a read outside readline() is interrupted too. Returns 0 on success,
   or -1 with errno set. */
static inline int slsx_install_interrupt_handler(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = slsx_interrupt_handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  return sigaction(SIGINT, &action, NULL);
}

/* Returns 1 if SIGINT arrived since the last call, and clears the record. */
static inline int slsx_take_interrupt(void) {
  int interrupted = slsx_interrupt_flag != 0;
  slsx_interrupt_flag = 0;
  return interrupted;
}

/* MARK: - Locale */

/* Selects a UTF-8 character encoding so that libedit reads multi-byte input as whole characters:
   the user's LC_CTYPE when it is UTF-8, otherwise C.UTF-8 (installed by Debian and most Linux
   distributions). In the default "C" locale libedit cannot decode multi-byte input.
   Returns 1 when a UTF-8 locale is active afterwards, 0 otherwise. */
static inline int slsx_select_utf8_character_locale(void) {
  if (setlocale(LC_CTYPE, "") != NULL && strcmp(nl_langinfo(CODESET), "UTF-8") == 0) {
    return 1;
  }
  if (setlocale(LC_CTYPE, "C.UTF-8") != NULL && strcmp(nl_langinfo(CODESET), "UTF-8") == 0) {
    return 1;
  }
  return 0;
}

#endif
