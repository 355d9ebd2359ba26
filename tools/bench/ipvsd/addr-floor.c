/* addr-floor N B: the floor for binding virtual IPs: adds N /32 addresses 198.18.(i/250).(i%250+1) (the VIPs of
 * gen-services.py) to the dummy link d0 of the current namespace, B RTM_NEWADDR requests per sendmsg, every one acked.
 * Prints the seconds from first request to last ack. For `tools/bench/ipvsd/run --parts`: the kernel's own cost of
 * what ipvsd does one address per request. Build: gcc -O2 -o addr-floor addr-floor.c */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
static char buf[1 << 20], rbuf[1 << 20];
double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
  int n = atoi(argv[1]), b = atoi(argv[2]), idx = if_nametoindex("d0"); unsigned seq = 1;
  int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE); struct sockaddr_nl sa = { .nl_family = AF_NETLINK }; bind(fd, (void *)&sa, sizeof sa);
  double t0 = now();
  for (int i = 0; i < n;) {
    size_t pos = 0; int k = 0;
    for (; k < b && i < n; k++, i++) {
      struct nlmsghdr *h = (void *)(buf + pos); h->nlmsg_type = RTM_NEWADDR; h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL; h->nlmsg_seq = seq++; h->nlmsg_pid = 0;
      struct ifaddrmsg *m = NLMSG_DATA(h); memset(m, 0, sizeof *m); m->ifa_family = AF_INET; m->ifa_prefixlen = 32; m->ifa_index = idx;
      struct rtattr *a = (void *)((char *)m + NLMSG_ALIGN(sizeof *m)); a->rta_type = IFA_LOCAL; a->rta_len = RTA_LENGTH(4);
      unsigned ip = htonl((198u << 24) | (18u << 16) | ((i / 250) << 8) | (i % 250 + 1)); memcpy(RTA_DATA(a), &ip, 4);
      struct rtattr *a2 = (void *)((char *)a + RTA_ALIGN(a->rta_len)); a2->rta_type = IFA_ADDRESS; a2->rta_len = RTA_LENGTH(4); memcpy(RTA_DATA(a2), &ip, 4);
      h->nlmsg_len = (char *)a2 + RTA_ALIGN(a2->rta_len) - (char *)h; pos += NLMSG_ALIGN(h->nlmsg_len);
    }
    if (send(fd, buf, pos, 0) < 0) { perror("send"); return 1; }
    for (int acks = 0; acks < k;) {
      int r = recv(fd, rbuf, sizeof rbuf, 0); if (r < 0) { perror("recv"); return 1; }
      for (struct nlmsghdr *h = (void *)rbuf; NLMSG_OK(h, r); h = NLMSG_NEXT(h, r))
        if (h->nlmsg_type == NLMSG_ERROR) { struct nlmsgerr *e = NLMSG_DATA(h); if (e->error) { fprintf(stderr, "err %d\n", e->error); return 1; } acks++; }
    }
  }
  printf("addr-floor: n=%d batch=%d add_s=%.3f\n", n, b, now() - t0);
  return 0;
}
