using Ipvsd.Daemon;

namespace Netlink.Tests.Ipvsd;

/// <summary>One ipvsd per state directory: the second is told who holds it, and the lock goes with its holder.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstanceLockTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ipvsd-lock-{Guid.NewGuid():N}");

    [Fact]
    public void SecondHolder_IsRefused_UntilTheFirstLetsGo()
    {
        Assert.True(InstanceLock.TryAcquire(_directory, out InstanceLock? first, out string? problem), problem);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        using (first)
        {
            Assert.False(InstanceLock.TryAcquire(_directory, out _, out problem));
            Assert.Equal($"another ipvsd is running with state directory {_directory} (it holds {_directory}/lock): run one ipvsd per node, or stop the other first", problem);
        }
        Assert.True(InstanceLock.TryAcquire(_directory, out InstanceLock? again, out problem), problem);
        again.Dispose();
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
