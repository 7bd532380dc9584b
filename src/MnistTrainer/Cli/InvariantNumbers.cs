using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace MnistTrainer.Cli;

/// <summary>
/// Reads numeric options the same way in every locale. System.CommandLine parses with the current
/// culture, so under pt-BR or de-DE (where "." groups thousands) "--lr 0.05" was read as 5.
/// Thousands separators are refused too, so "0,05" is an error rather than 5.
/// </summary>
public static class InvariantNumbers
{
    public static void ParseInvariantly<T>(this Option<T> option) where T : INumberBase<T> =>
        option.CustomParser = r => TryParse<T>(r, option.Name, out var value) ? value : default!;

    public static void ParseInvariantly<T>(this Option<T?> option) where T : struct, INumberBase<T> =>
        option.CustomParser = r => TryParse<T>(r, option.Name, out var value) ? value : null;

    /// <summary>An option taking several numbers: each is read as above, the first bad one named.</summary>
    public static void ParseInvariantly<T>(this Option<T[]> option) where T : INumberBase<T> =>
        option.CustomParser = r =>
        {
            var values = new T[r.Tokens.Count];
            for (int i = 0; i < values.Length; i++)
                if (!TryParse(r, r.Tokens[i].Value, option.Name, out values[i])) return [];
            return values;
        };

    static bool TryParse<T>(ArgumentResult result, string name, out T value) where T : INumberBase<T>
    {
        value = default!;
        if (result.Tokens.Count != 1) return false; // the parser reports a missing or repeated value itself
        return TryParse(result, result.Tokens[0].Value, name, out value);
    }

    static bool TryParse<T>(ArgumentResult result, string text, string name, out T value) where T : INumberBase<T>
    {
        value = default!;
        bool whole = typeof(T) == typeof(int) || typeof(T) == typeof(long);
        if (T.TryParse(text, whole ? NumberStyles.Integer : NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed != null)
        {
            value = parsed;
            return true;
        }
        // An option of several values also swallows a word the command does not know (predict --index 0 --dataset x):
        // name that word, not the option it landed in.
        if (text.StartsWith("--")) result.AddError($"Unrecognized command or argument '{text}'.");
        else result.AddError(whole ? $"{name} must be a whole number (got '{text}')." : $"{name} must be a number such as 0.01 (got '{text}').");
        return false;
    }
}
