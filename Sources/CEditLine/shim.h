#ifndef CEDITLINE_SHIM_H
#define CEDITLINE_SHIM_H

#include <stdio.h>
#include <stdlib.h>
/* libedit's readline-compatible API. Not <readline/readline.h>: where GNU readline's headers are
   also installed, that name resolves to them while the module still links libedit. */
#include <editline/readline.h>

#endif
