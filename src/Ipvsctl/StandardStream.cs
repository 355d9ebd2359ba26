using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Ipvsctl;

/// <summary>
/// Standard input, output or error as a plain stream over its file descriptor. Console's streams would do the same
/// but first set up the whole console (terminal settings, its encoding from the locale, its own writers), which
/// costs a visible share of ipvsctl's start-up, and ipvsctl needs none of it. As Console's streams do, writing to a
/// closed pipe is ignored (`ipvsctl -Ln | head` ends quietly).
/// </summary>
internal sealed unsafe class StandardStream(int descriptor, bool readable) : Stream
{
    public override bool CanRead => readable;

    public override bool CanWrite => !readable;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long read = (long)LibC.read(descriptor, p, (size_t)buffer.Length);
                if (read >= 0)
                {
                    return (int)read;
                }
                if (errno != EINTR)
                {
                    throw new IOException($"reading descriptor {descriptor} failed (errno {errno})");
                }
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                long written = (long)LibC.write(descriptor, p + done, (size_t)(buffer.Length - done));
                if (written >= 0)
                {
                    done += (int)written;
                }
                else if (errno == EPIPE)
                {
                    return;
                }
                else if (errno != EINTR)
                {
                    throw new IOException($"writing to descriptor {descriptor} failed (errno {errno})");
                }
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
