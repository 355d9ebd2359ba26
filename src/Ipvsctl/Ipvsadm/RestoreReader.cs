using System.Text;

namespace Ipvsctl.Ipvsadm;

/// <summary>
/// Splits ipvsadm -R's input as ipvsadm's config_stream does: one command line a line (ended by '\n' only), words
/// separated by spaces, tabs or carriage returns, every word "ipvsadm" dropped, and nothing treated as a comment
/// (a line "# x" reaches the option parser, which rejects it as ipvsadm does). The input is read whole, as bytes: a
/// restore file is small beside the table it loads, and each word is decoded on its own (UTF-8 cannot put a blank
/// inside a character, so that decodes exactly as the whole text would).
/// </summary>
internal sealed class RestoreReader
{
    private static readonly byte[] ProgramWord = "ipvsadm"u8.ToArray();
    private readonly byte[] _text;
    private readonly int _length;
    private readonly ShortWords _shortWords = new();
    private int _position;

    public RestoreReader(TextReader input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input is StreamReader { BaseStream.CanRead: true } reader && reader.CurrentEncoding is UTF8Encoding)
        {
            // Nothing has read standard input before -R, so the reader holds no buffered text yet.
            (_text, _length) = ReadAll(reader.BaseStream);
        }
        else
        {
            _text = Encoding.UTF8.GetBytes(input.ReadToEnd());
            _length = _text.Length;
        }
    }

    /// <summary>The words of the next line with at least one word, or null at the end of the input.</summary>
    public List<string>? ReadLine()
    {
        while (_position < _length)
        {
            int end = _text.AsSpan(_position, _length - _position).IndexOf((byte)'\n');
            end = end < 0 ? _length : _position + end;
            ReadOnlySpan<byte> line = _text.AsSpan(_position, end - _position);
            _position = end + 1;
            List<string>? words = null;
            int i = 0;
            while (i < line.Length)
            {
                while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\r')
                {
                    i++;
                }
                int start = i;
                while (i < line.Length && line[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    i++;
                }
                if (i > start && !line[start..i].SequenceEqual(ProgramWord))
                {
                    (words ??= new List<string>(12)).Add(_shortWords.Get(line[start..i]));
                }
            }
            if (words is not null)
            {
                return words;
            }
        }
        return null;
    }

    private static (byte[] Text, int Length) ReadAll(Stream stream)
    {
        using var whole = new MemoryStream(1 << 20);
        stream.CopyTo(whole);
        return (whole.GetBuffer(), (int)whole.Length);
    }

    /// <summary>
    /// One string per distinct short ASCII word ("-a", "-t", "-m", "1"): a restore file repeats a handful of them on
    /// every line, and sharing them takes most of the allocations out of reading it.
    /// </summary>
    private sealed class ShortWords
    {
        private const int MaxLength = 3;
        private readonly string?[] _slots = new string?[1024];

        public string Get(ReadOnlySpan<byte> word)
        {
            if (word.Length > MaxLength || !Ascii.IsValid(word))
            {
                return Encoding.UTF8.GetString(word);
            }
            int hash = word.Length;
            foreach (byte b in word)
            {
                hash = (hash * 31) + b;
            }
            ref string? slot = ref _slots[hash & (_slots.Length - 1)];
            if (slot is null || !Ascii.Equals(word, slot))
            {
                slot = Encoding.ASCII.GetString(word);
            }
            return slot;
        }
    }
}
