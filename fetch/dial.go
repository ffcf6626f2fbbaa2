package fetch

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// cgnat is the shared address space of carrier-grade NAT (RFC 6598).
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// denyPrivate is a net.Dialer Control function that refuses loopback,
// private, link-local, multicast and unspecified addresses. It runs after
// name resolution, on the address actually dialled, so DNS rebinding
// cannot get around it.
func denyPrivate(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("refusing to dial %q: not an IP address", address)
	}
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || cgnat.Contains(ip) {
		return &policyError{fmt.Sprintf("refusing to connect to %s: private or local address (deny_private_networks)", ip)}
	}
	return nil
}
