namespace Ipvsctl.Ipvsadm;

/// <summary>
/// Splits ipvsadm -R's input as ipvsadm's config_stream does: one command line a line, words separated by spaces,
/// tabs or carriage returns, every word "ipvsadm" dropped, and nothing treated as a comment (a line "# x" reaches the
/// option parser, which rejects it as ipvsadm does).
/// </summary>
internal static class RestoreReader
{
    /// <summary>The words of the next line with at least one word, or null at the end of the input.</summary>
    public static List<string>? ReadLine(TextReader input)
    {
        while (true)
        {
            string? line = ReadUntilNewline(input);
            if (line is null)
            {
                return null;
            }
            var words = new List<string>();
            foreach (string word in line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (word != "ipvsadm")
                {
                    words.Add(word);
                }
            }
            if (words.Count > 0)
            {
                return words;
            }
        }
    }

    /// <summary>A line ended by '\n' only: a lone '\r' is a separator between words, as in ipvsadm.</summary>
    private static string? ReadUntilNewline(TextReader input)
    {
        var line = new System.Text.StringBuilder();
        int c;
        while ((c = input.Read()) >= 0)
        {
            if (c == '\n')
            {
                return line.ToString();
            }
            line.Append((char)c);
        }
        return line.Length > 0 ? line.ToString() : null;
    }
}
