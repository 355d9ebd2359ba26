namespace Ipvsctl.Declarative;

/// <summary>The declarative commands' exit statuses, those of aschmidt75/ipvsctl (cmd/errordefs.go).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int CannotOpenIpvs = 20;
    public const int IpvsQueryFailed = 21;
    public const int InvalidModelFile = 30;
    public const int ApplyFailed = 31;
    public const int ValidationFailed = 32;
    public const int InvalidArguments = 33;
    public const int SetFailed = 34;
    public const int ParameterNotResolvable = 35;
    public const int NetworkError = 50;
    public const int FileError = 51;
    public const int OutputError = 100;
    public const int Unknown = 127;
}
