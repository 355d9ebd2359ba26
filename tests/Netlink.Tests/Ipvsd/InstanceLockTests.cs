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
        Assert.True(InstanceLock.TryAcquire(_directory, out InstanceLock? first, out string? problem, out _), problem);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        using (first)
        {
            Assert.False(InstanceLock.TryAcquire(_directory, out _, out problem, out bool busy));
            Assert.True(busy);
            Assert.Equal($"another ipvsd is running with state directory {_directory} (it holds {_directory}/lock): run one ipvsd per node, or stop the other first", problem);
        }
        Assert.True(InstanceLock.TryAcquire(_directory, out InstanceLock? again, out problem, out _), problem);
        again.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ALinkAsTheLock_IsRefused_AndNotFollowed(bool targetExists)
    {
        // planted where the lock goes, pointing at a file outside (or at a path that does not exist yet)
        Directory.CreateDirectory(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string target = _directory + "-target";
        if (targetExists)
        {
            File.WriteAllText(target, "keep\n");
        }
        File.CreateSymbolicLink(Path.Combine(_directory, "lock"), target);
        try
        {
            Assert.False(InstanceLock.TryAcquire(_directory, out _, out string? problem, out _));
            Assert.Equal($"{_directory}/lock is a symbolic link: ipvsd follows no link in its state directory (it could point anywhere); remove it", problem);
            Assert.Equal(targetExists, File.Exists(target));
            if (targetExists)
            {
                Assert.Equal("keep\n", File.ReadAllText(target));
            }
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public void AStateDirectoryOthersMayWrite_IsRefused()
    {
        Directory.CreateDirectory(_directory);
        File.SetUnixFileMode(_directory, (UnixFileMode)Convert.ToInt32("775", 8));
        Assert.False(InstanceLock.TryAcquire(_directory, out _, out string? problem, out _));
        Assert.Equal($"state directory {_directory} is writable by its group or others (mode 775): chmod go-w {_directory} (or 0700)", problem);
        Assert.False(File.Exists(Path.Combine(_directory, "lock")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
