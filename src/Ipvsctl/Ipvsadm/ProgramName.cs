namespace Ipvsctl.Ipvsadm;

/// <summary>argv[0] exactly as the program was invoked: ipvsadm prints it in its usage and "Try ..." lines.</summary>
internal static class ProgramName
{
    public static string Get()
    {
        try
        {
            byte[] cmdline = File.ReadAllBytes("/proc/self/cmdline");
            int end = Array.IndexOf(cmdline, (byte)0);
            string name = System.Text.Encoding.UTF8.GetString(cmdline, 0, end < 0 ? cmdline.Length : end);
            if (name.Length > 0)
            {
                return name;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return "ipvsctl";
    }
}
