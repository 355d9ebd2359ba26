using System.Text;

namespace Ipvsctl;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Plain buffered streams: Console's synchronized writers cost a lock per call, and -Ln of a large table or
        // -R of a large file makes millions of calls. Standard error stays unbuffered, as in C. The buffers are small
        // (stdio's size): every page of a new buffer is faulted in at start, and more writes of a large listing cost
        // less than that. -R reads standard input's bytes itself, past the reader's buffer (RestoreReader).
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var stdout = new StreamWriter(new StandardStream(1, readable: false), encoding, 4 * 1024) { AutoFlush = false };
        using var stderr = new StreamWriter(new StandardStream(2, readable: false), encoding, 1024) { AutoFlush = true };
        using var stdin = new StreamReader(new StandardStream(0, readable: true), encoding, detectEncodingFromByteOrderMarks: false, 4 * 1024);
        return CommandRouter.Run(args, stdin, stdout, stderr);
    }
}
