using System.Runtime.InteropServices;
using Netlink.Generic;

namespace Netlink.Tests.Faults;

/// <summary>
/// The faults only a real socket can show, on this machine's kernel with no privilege (NETLINK_ROUTE and
/// NETLINK_GENERIC sockets are anyone's): EINTR from a signal during a blocked receive (retried inside the socket),
/// EAGAIN from an expired receive timeout (reported as ETIMEDOUT), and a datagram larger than the receive buffer
/// (MSG_TRUNC: a protocol error, never a cut datagram parsed).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class RealSocketFaultTests
{
    private const int Sigwinch = 28;

    [LibraryImport("libc", EntryPoint = "pthread_self")]
    private static partial nint PthreadSelf();

    [LibraryImport("libc", EntryPoint = "pthread_kill")]
    private static partial int PthreadKill(nint thread, int signal);

    [Fact]
    public void ASignalDuringABlockedReceive_IsRetried_SoTheCallerSeesOnlyTheTimeout()
    {
        using var socket = NetlinkSocket.Open(NetlinkProtocol.Route, new NetlinkSocketOptions { ReceiveTimeout = TimeSpan.FromMilliseconds(700) });
        int handled = 0;
        // A handler, so the signal interrupts recv; with SO_RCVTIMEO set the kernel never restarts recv (SA_RESTART
        // notwithstanding): it returns EINTR, which the socket must retry.
        using PosixSignalRegistration registration = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context =>
        {
            Interlocked.Increment(ref handled);
            context.Cancel = true;
        });
        nint receiver = 0;
        Exception? failure = null;
        using var started = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            receiver = PthreadSelf();
            started.Set();
            using var buffer = new NetlinkBuffer(4096);
            try
            {
                socket.Receive(buffer);
            }
            catch (NetlinkException e)
            {
                failure = e;
            }
        });
        thread.Start();
        started.Wait(TestContext.Current.CancellationToken);
        // Signals over 300 ms, well inside the 700 ms the receive waits: some land while it waits in recv.
        for (int i = 0; i < 6 && thread.IsAlive; i++)
        {
            Thread.Sleep(50);
            Assert.Equal(0, PthreadKill(receiver, Sigwinch));
        }
        thread.Join();

        NetlinkException e = Assert.IsType<NetlinkException>(failure);
        Assert.Equal(Errno.ETIMEDOUT, e.ErrorNumber);
        // .NET runs signal handlers on its own dispatch thread, after the signal: under a loaded test run that can be
        // after the receive has timed out, so wait for the handler rather than expect it to have run already
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref handled) > 0, TimeSpan.FromSeconds(10)), "no signal was handled");
    }

    [Fact]
    public void AnExpiredReceiveTimeout_IsETIMEDOUT_SayingNoReplyCame()
    {
        using var socket = NetlinkSocket.Open(NetlinkProtocol.Route, new NetlinkSocketOptions { ReceiveTimeout = TimeSpan.FromMilliseconds(20) });
        using var buffer = new NetlinkBuffer(4096);

        var e = Assert.Throws<NetlinkException>(() => socket.Receive(buffer));

        Assert.Equal("receive from kernel: Connection timed out (ETIMEDOUT). no reply within the receive timeout", e.Message);
    }

    [Fact]
    public void ADatagramLargerThanTheReceiveBuffer_IsAProtocolError_NeverParsedCut()
    {
        var options = new NetlinkSocketOptions { PeekDatagramSize = false, MaxDatagramSize = 64 };
        using var connection = new NetlinkConnection(NetlinkSocket.Open(NetlinkProtocol.Generic, options));

        // the controller describing itself: its operations and groups take far more than 64 bytes
        var e = Assert.Throws<NetlinkProtocolException>(() => new GenericNetlinkResolver(connection).Resolve("nlctrl"));

        Assert.Matches("^malformed netlink message: a [0-9]+-byte datagram exceeded the 64-byte receive buffer and was truncated", e.Message);
    }
}
