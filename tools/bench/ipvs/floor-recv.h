/* Forced into ../shared/bench/ipvs-floor.c (gcc -include) by ./run when FLOOR_RECV is set: the same floor program,
 * but offering recv() at most FLOOR_RECV bytes, as the library does, so that the kernel builds its dump datagrams
 * that size (it sizes them by the largest receive buffer the socket has offered). The source stays as it is. */
#include <sys/socket.h>
#define recv(fd, buf, len, flags) recv((fd), (buf), (len) < FLOOR_RECV ? (len) : FLOOR_RECV, (flags))
