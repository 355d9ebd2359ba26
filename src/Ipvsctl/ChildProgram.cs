using System.Runtime.InteropServices;
using System.Text;

namespace Ipvsctl;

/// <summary>
/// Runs a program and waits for it as C's fork, execv and waitpid do: the child gets our standard descriptors and our
/// environment as they are, and its output is never seen by us. System.Diagnostics.Process (and CliWrap on top of it)
/// would also set up terminal and SIGCHLD handling, start a signal-handling thread, copy the environment through a
/// dictionary and hand the child's exit from that thread to ours, which together cost ipvsctl about a tenth of its
/// start-up when IPVS is missing and it runs modprobe as ipvsadm does (the start-up bar of issue 3).
/// posix_spawn, waitpid and dlsym are bound here: Tmds.LibC 0.5 does not have them.
/// </summary>
internal static unsafe partial class ChildProgram
{
    private const int SignalBrokenPipe = 13; // SIGPIPE
    private const int SignalCancel = 32; // glibc's SIGCANCEL, __SIGRTMIN
    private const int SignalSetIds = 33; // glibc's SIGSETXID, __SIGRTMIN + 1
    private const short SpawnSetSignalDefaults = 0x04; // POSIX_SPAWN_SETSIGDEF
    private const int InterruptedCall = 4; // EINTR

    /// <summary>At least glibc's posix_spawnattr_t (336 bytes on 64-bit) and musl's.</summary>
    private const int SpawnAttributesSize = 1024;

    /// <summary>glibc's sigset_t: 1024 bits.</summary>
    private const int SignalSetSize = 128;

    /// <summary>
    /// Runs <paramref name="path"/> with <paramref name="arguments"/> (argv[1..]) and waits for it. Returns true
    /// when it ran and exited with status 0; false when it could not be started, failed or was killed, which
    /// ipvsadm does not tell apart either (its child exits 1 when execv fails).
    /// </summary>
    public static bool RunToSuccess(string path, params ReadOnlySpan<string> arguments)
    {
        byte[] text = Terminated(path, arguments, out int[] starts);
        fixed (byte* strings = text)
        {
            byte** argv = stackalloc byte*[starts.Length + 1];
            for (int i = 0; i < starts.Length; i++)
            {
                argv[i] = strings + starts[i];
            }
            argv[starts.Length] = null;

            byte* attributes = stackalloc byte[SpawnAttributesSize];
            if (posix_spawnattr_init(attributes) != 0)
            {
                return false;
            }
            int pid = 0;
            ulong* signals = stackalloc ulong[SignalSetSize / sizeof(ulong)];
            SetDefaultSignals(signals);
            int started = posix_spawnattr_setsigdefault(attributes, signals) == 0
                && posix_spawnattr_setflags(attributes, SpawnSetSignalDefaults) == 0
                    ? posix_spawn(&pid, argv[0], null, attributes, argv, Environment())
                    : -1;
            _ = posix_spawnattr_destroy(attributes);
            if (started != 0)
            {
                return false;
            }
            int status = 0;
            while (waitpid(pid, &status, 0) < 0)
            {
                if (Marshal.GetLastSystemError() != InterruptedCall)
                {
                    return false;
                }
            }
            bool exited = (status & 0x7f) == 0;
            return exited && ((status >> 8) & 0xff) == 0;
        }
    }

    /// <summary>
    /// The signals the child gets back at their default, where a C child would have them: SIGPIPE, which the runtime
    /// ignores (an ignored signal stays ignored across exec), and glibc's two internal signals (SIGCANCEL and
    /// SIGSETXID, the first two real-time ones), which posix_spawn itself leaves ignored in the child unless told
    /// otherwise. sigaddset refuses the internal two, so the set's bits are written directly. Every other
    /// disposition is what ipvsctl was started with, as ipvsadm's fork passes on; handlers are reset by exec.
    /// </summary>
    private static void SetDefaultSignals(ulong* set)
    {
        new Span<ulong>(set, SignalSetSize / sizeof(ulong)).Clear();
        set[0] = Bit(SignalBrokenPipe) | Bit(SignalCancel) | Bit(SignalSetIds);

        static ulong Bit(int signal) => 1UL << (signal - 1);
    }

    /// <summary>The strings of argv, each ending in NUL, in one block; where each starts.</summary>
    private static byte[] Terminated(string path, ReadOnlySpan<string> arguments, out int[] starts)
    {
        starts = new int[arguments.Length + 1];
        int length = Encoding.UTF8.GetByteCount(path) + 1;
        foreach (string argument in arguments)
        {
            length += Encoding.UTF8.GetByteCount(argument) + 1;
        }
        byte[] text = new byte[length];
        int at = 0;
        for (int i = 0; i <= arguments.Length; i++)
        {
            starts[i] = at;
            at += Encoding.UTF8.GetBytes(i == 0 ? path : arguments[i - 1], text.AsSpan(at)) + 1;
        }
        return text;
    }

    /// <summary>libc's environ: the environment this process was started with (ipvsctl never changes it).</summary>
    private static byte** Environment()
    {
        fixed (byte* name = "environ"u8)
        {
            byte*** environ = (byte***)dlsym(null, name);
            return environ is null ? null : *environ;
        }
    }

    [LibraryImport("libc.so.6")]
    private static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc.so.6")]
    private static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport("libc.so.6")]
    private static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport("libc.so.6")]
    private static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport("libc.so.6")]
    private static partial int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc.so.6")]
    private static partial void* dlsym(void* handle, byte* name);
}
