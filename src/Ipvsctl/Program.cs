namespace Ipvsctl;

internal static class Program
{
    private static int Main(string[] args) => CommandRouter.Run(args, Console.In, Console.Out, Console.Error);
}
