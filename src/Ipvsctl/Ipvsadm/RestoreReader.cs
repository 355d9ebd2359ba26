namespace Ipvsctl.Ipvsadm;

/// <summary>
/// Splits ipvsadm -R's input as ipvsadm's config_stream does: one command line a line (ended by '\n' only), words
/// separated by spaces, tabs or carriage returns, every word "ipvsadm" dropped, and nothing treated as a comment
/// (a line "# x" reaches the option parser, which rejects it as ipvsadm does). The input is read whole: a restore
/// file is small beside the table it loads, and scanning one string costs far less than reading it char by char.
/// </summary>
internal sealed class RestoreReader
{
    private readonly string _text;
    private int _position;

    public RestoreReader(TextReader input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _text = input.ReadToEnd();
    }

    /// <summary>The words of the next line with at least one word, or null at the end of the input.</summary>
    public List<string>? ReadLine()
    {
        while (_position < _text.Length)
        {
            int end = _text.IndexOf('\n', _position);
            if (end < 0)
            {
                end = _text.Length;
            }
            ReadOnlySpan<char> line = _text.AsSpan(_position, end - _position);
            _position = end + 1;
            List<string>? words = null;
            int i = 0;
            while (i < line.Length)
            {
                while (i < line.Length && line[i] is ' ' or '\t' or '\r')
                {
                    i++;
                }
                int start = i;
                while (i < line.Length && line[i] is not (' ' or '\t' or '\r'))
                {
                    i++;
                }
                if (i > start && !line[start..i].SequenceEqual("ipvsadm"))
                {
                    (words ??= new List<string>(12)).Add(line[start..i].ToString());
                }
            }
            if (words is not null)
            {
                return words;
            }
        }
        return null;
    }
}
