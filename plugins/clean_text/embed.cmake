# Turns a text file into a C source defining a NUL-terminated char array:
#   cmake -DIN=file.txt -DOUT=file.c -DNAME=symbol -P embed.cmake
# Used to compile junk-phrases.txt into the plugin as its default list.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT}.tmp "/* Generated from ${IN} by embed.cmake: do not edit. */\n#include <stddef.h>\nextern const char ${NAME}[];\nextern const size_t ${NAME}_len;\nconst char ${NAME}[] = {\n${bytes}0x00};\nconst size_t ${NAME}_len = sizeof ${NAME} - 1;\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
file(REMOVE ${OUT}.tmp)
