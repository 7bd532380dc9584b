using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MnistTrainer.Files;

/// <summary>
/// The one way this program writes and reads JSON: every <c>--json</c>, every <c>serve</c> answer, the metrics'
/// JSON lines, the ONNX metadata and the headers of model files and checkpoints. A diverged run's numbers are
/// NaN or infinite, which JSON cannot hold: they are written as <c>null</c>, never a failure. Reading takes
/// <c>null</c> (and the "NaN" strings of files written before) back as NaN.
/// </summary>
public static class JsonPolicy
{
    /// <summary>camelCase names, as programs that read our output expect.</summary>
    public static readonly JsonSerializerOptions Options = Create(JsonNamingPolicy.CamelCase, indented: false);

    /// <summary>The same, indented for a person reading <c>--json</c> on a terminal.</summary>
    public static readonly JsonSerializerOptions Indented = Create(JsonNamingPolicy.CamelCase, indented: true);

    /// <summary>Names as the C# types spell them: the headers of model files and checkpoints keep the names their format has always had.</summary>
    public static readonly JsonSerializerOptions FileHeader = Create(namingPolicy: null, indented: false);

    static JsonSerializerOptions Create(JsonNamingPolicy? namingPolicy, bool indented) => new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = namingPolicy,
        WriteIndented = indented,
        Converters = { new FiniteOrNull<double>(), new FiniteOrNull<float>() },
    };

    /// <summary>A finite number as itself; NaN and ±infinity as <c>null</c>. Read back, <c>null</c> and "NaN" are NaN.</summary>
    sealed class FiniteOrNull<T> : JsonConverter<T> where T : struct, IFloatingPointIeee754<T>
    {
        public override bool HandleNull => true;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.Null => T.NaN,
            JsonTokenType.String => T.TryParse(reader.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value : throw new JsonException($"'{reader.GetString()}' is not a number"),
            _ => T.CreateChecked(reader.GetDouble()),
        };

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            if (!T.IsFinite(value)) writer.WriteNullValue();
            else if (value is float single) writer.WriteNumberValue(single); // as short as the float itself, not its double
            else writer.WriteNumberValue(double.CreateChecked(value));
        }
    }
}
