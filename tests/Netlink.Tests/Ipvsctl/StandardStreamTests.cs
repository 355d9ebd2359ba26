using System.IO.Pipes;
using System.Text;
using Ipvsctl;

namespace Netlink.Tests.Ipvsctl;

/// <summary>ipvsctl's standard streams over raw descriptors: every byte through, and a closed reader ends quietly.</summary>
public sealed class StandardStreamTests
{
    [Fact]
    public void WritesEveryByte_AndReadsThemBack()
    {
        using var reader = new AnonymousPipeServerStream(PipeDirection.In);
        using var writer = new AnonymousPipeClientStream(PipeDirection.Out, reader.ClientSafePipeHandle);
        byte[] text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("-A -t 198.18.0.1:80 -s rr\n", 400)));

        new StandardStream(Descriptor(writer.SafePipeHandle), readable: false).Write(text);
        writer.Dispose();
        reader.DisposeLocalCopyOfClientHandle();

        var received = new MemoryStream();
        new StandardStream(Descriptor(reader.SafePipeHandle), readable: true).CopyTo(received);
        Assert.Equal(text, received.ToArray());
    }

    [Fact]
    public void WritingToAPipeNobodyReads_IsIgnoredAsConsoleDoes()
    {
        // `ipvsctl -Ln | head`: once head exits, the rest of the listing goes nowhere and the run still ends cleanly.
        var reader = new AnonymousPipeServerStream(PipeDirection.In);
        using var writer = new AnonymousPipeClientStream(PipeDirection.Out, reader.ClientSafePipeHandle);
        var stream = new StandardStream(Descriptor(writer.SafePipeHandle), readable: false);
        reader.Dispose(); // the read end; the write end stays open in `writer`

        stream.Write(new byte[70_000]);
        Assert.True(stream.CanWrite);
        Assert.False(stream.CanRead);
    }

    private static int Descriptor(Microsoft.Win32.SafeHandles.SafePipeHandle handle) => (int)handle.DangerousGetHandle();
}
