// dotnet run -- mnist.onnx digit.png   (packages: Microsoft.ML.OnnxRuntime, SkiaSharp; on Linux also SkiaSharp.NativeAssets.Linux)
// The model comes from: export --model mnist.model --output mnist.onnx --onnx-input raw
// The picture is 28×28, a light digit on a dark background, e.g. from: export-sample --index 0
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkiaSharp;

using var session = new InferenceSession(args[0]);
using var picture = SKBitmap.Decode(args[1]);
float[] pixels = picture.Pixels.Select(color => (float)color.Red).ToArray();  // gray: red = green = blue, 0-255
var input = NamedOnnxValue.CreateFromTensor("pixels", new DenseTensor<float>(pixels, [1, 784]));
using var results = session.Run([input]);
float[] logProbabilities = results[0].AsEnumerable<float>().ToArray();
int best = Array.IndexOf(logProbabilities, logProbabilities.Max());
string[] classNames = JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap["class_names"])!;
Console.WriteLine(FormattableString.Invariant($"Predicted: {classNames[best]} ({100 * Math.Exp(logProbabilities[best]):0.00}%)"));
