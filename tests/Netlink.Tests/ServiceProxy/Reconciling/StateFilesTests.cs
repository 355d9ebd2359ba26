using System.Net;
using Netlink.Ipvs;
using ServiceProxy.Reconciling;
using Tmds.Linux;

namespace Netlink.Tests.ServiceProxy.Reconciling;

/// <summary>
/// The state directory cannot be used to steer ipvsd: a link planted where a state file goes is refused and its target
/// neither read nor written, and a directory someone else may write to is refused with the fix.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StateFilesTests : IDisposable
{
    private const string Secret = "root:x:0:0:root:/root:/bin/bash\n";
    private static readonly VirtualServiceKey[] Keys = [VirtualServiceKey.ForAddress(IpvsProtocol.Tcp, IPAddress.Parse("198.18.0.1"), 80)];
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ipvsd-statefiles-{Guid.NewGuid():N}");
    private readonly string _directory;
    private readonly string _target;

    public StateFilesTests()
    {
        _directory = Path.Combine(_root, "state");
        _target = Path.Combine(_root, "passwd");
        Directory.CreateDirectory(_directory, StateFiles.DirectoryMode);
        File.WriteAllText(_target, Secret);
    }

    [Fact]
    public void ALinkAsTheRecord_IsRefusedOnLoad_AndItsTargetNeverEchoed()
    {
        var file = new OwnershipFile(_directory);
        File.CreateSymbolicLink(file.Path, _target);
        UnsafeStateException e = Assert.Throws<UnsafeStateException>(file.Load);
        Assert.Equal($"{file.Path} is a symbolic link: ipvsd follows no link in its state directory (it could point anywhere); remove it", e.Message);
        Assert.DoesNotContain("root:x", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALinkAsTheTemporaryRecord_IsNotWrittenThrough()
    {
        var file = new OwnershipFile(_directory);
        File.CreateSymbolicLink(file.Path + ".new", _target);
        file.Save(Keys);
        Assert.Equal(Secret, File.ReadAllText(_target));
        Assert.Null(new FileInfo(file.Path).LinkTarget);
        Assert.Equal(Keys.ToHashSet(), file.Load().ToHashSet());
    }

    [Fact]
    public void ALinkAsTheRecord_IsReplaced_NotWrittenThrough()
    {
        var file = new OwnershipFile(_directory);
        File.CreateSymbolicLink(file.Path, _target);
        file.Save(Keys);
        Assert.Equal(Secret, File.ReadAllText(_target));
        Assert.Null(new FileInfo(file.Path).LinkTarget);
    }

    [Fact]
    public void ADirectoryOthersMayWrite_IsRefused_WithTheFix()
    {
        File.SetUnixFileMode(_directory, StateFiles.DirectoryMode | UnixFileMode.GroupWrite | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherWrite | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        UnsafeStateException e = Assert.Throws<UnsafeStateException>(() => new OwnershipFile(_directory).Save(Keys));
        Assert.Equal($"state directory {_directory} is writable by its group or others (mode 777): chmod go-w {_directory} (or 0700)", e.Message);
        Assert.False(File.Exists(Path.Combine(_directory, "services")));
    }

    [Fact]
    public void ADirectoryOfAnotherUser_IsRefused_WithTheFix()
    {
        if (LibC.geteuid() != 0)
        {
            Assert.Skip("giving the directory to another user takes root");
        }
        Chown(_directory, 65534);
        UnsafeStateException e = Assert.Throws<UnsafeStateException>(() => StateFiles.PrepareDirectory(_directory));
        Assert.Equal($"state directory {_directory} belongs to uid 65534, but ipvsd runs as uid 0: run ipvsd as uid 65534, or chown 0 {_directory} (its owner could steer ipvsd)", e.Message);
    }

    [Fact]
    public void AMissingDirectory_IsCreatedPrivate_AndAFileInIt0600()
    {
        string fresh = Path.Combine(_root, "fresh");
        var file = new OwnershipFile(fresh);
        file.Save(Keys);
        Assert.Equal(StateFiles.DirectoryMode, File.GetUnixFileMode(fresh));
        Assert.Equal(StateFiles.FileMode, File.GetUnixFileMode(file.Path));
    }

    private static unsafe void Chown(string path, uint uid)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            Assert.Equal(0, LibC.lchown(p, uid, uid));
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
