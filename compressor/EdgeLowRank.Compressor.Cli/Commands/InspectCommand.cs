using System.CommandLine;
using EdgeLowRank.Compressor.Cli.Display;
using EdgeLowRank.Runtime.Format;
using EdgeLowRank.Runtime.IO;
using EdgeLowRank.Runtime.Layers;
using Spectre.Console;

namespace EdgeLowRank.Compressor.Cli.Commands;

/// <summary><c>elr inspect MODEL</c>: per layer the name (as --keep-dense takes it), the kind (for an Add, the activation it adds; for a Branch, the one it continues from), the shape, method, weight type,
/// what its products take as inputs (f32, or uint8 quantized as the layer runs), rank (r when factorized, "full" for a dense matrix), parameters, their bytes, MACs and ratio
/// against the dense layer, then the totals and metadata.</summary>
internal static class InspectCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .elr file." };
        var json = new Option<bool>("--json") { Description = "Write the layers, totals, format version and metadata as one JSON document on stdout." };
        var command = new Command("inspect", "Show a model's layers: shape, method, rank, parameters, MACs, compression ratio.") { model, json };
        command.SetAction(parse => Inspect(parse.GetRequiredValue(model), parse.GetValue(json)));
        return command;
    }

    /// <summary>Prints the table and summary of <paramref name="file"/> (also after elr import-onnx), or with
    /// <paramref name="json"/> the same as one JSON document (<see cref="InspectJson"/>).</summary>
    internal static int Inspect(FileInfo file, bool json = false)
    {
        FilePaths.RequireInput(file.ToString(), "MODEL", "train one with 'elr train' or compress one with 'elr compress'");
        using Model model = ModelReader.Load(file.FullName);
        if (json)
        {
            JsonReport.Write(InspectJson.Of(file.FullName, model, LayerNames.Of(model.Layers), InputsLabel));
            return 0;
        }
        var table = new Table().Border(TableBorder.Simple);
        foreach (string column in new[] { "#", "name", "layer", "input", "output", "method", "weights", "inputs", "rank", "parameters", "bytes", "MACs", "ratio" })
            table.AddColumn(new TableColumn(column));
        string[] names = LayerNames.Of(model.Layers);
        for (int i = 0; i < model.Layers.Count; i++)
        {
            Layer layer = model.Layers[i];
            TensorShape input = model.InputShapeOf(i);
            long parameters = layer.ParameterCount;
            string ratio = parameters == 0 ? "" : $"{(double)layer.DenseEquivalentParameterCount / parameters:F2}×";
            table.AddRow(i.ToString(), names[i], layer.Label, input.ToString(), model.OutputShapeOf(i).ToString(),
                layer.MethodLabel, layer.WeightTypeLabel, InputsLabel(layer),
                layer.RankLabel, parameters.ToString("N0"), parameters == 0 ? "" : layer.ParameterBytes.ToString("N0"),
                layer.MultiplyAccumulates(input).ToString("N0"), ratio);
        }
        AnsiConsole.Write(table);
        // The same notation as elr-run info, so the two tables read alike.
        foreach (string legend in model.LabelLegends) AnsiConsole.MarkupLine(Markup.Escape(legend));
        // A model of no parameters or MACs (weightless layers alone) has no ratio: 0 / 0 printed "NaN× fewer". It is left out,
        // as the layer table leaves out a weightless layer's.
        AnsiConsole.MarkupLine(Markup.Escape($"{file.Name}: {model.ParameterCount:N0} parameters in {model.ParameterBytes:N0} bytes ("
            + (model.ParameterCount == 0 ? "" : $"{(double)model.DenseEquivalentParameterCount / model.ParameterCount:F2}× fewer than ") + $"dense {model.DenseEquivalentParameterCount:N0}), "
            + $"{model.MultiplyAccumulates:N0} MACs" + (model.MultiplyAccumulates == 0 ? "" : $" ({(double)model.DenseEquivalentMultiplyAccumulates / model.MultiplyAccumulates:F2}× fewer)")));
        ModelMetadata meta = model.Metadata;
        if (meta.AccuracySummary() is string accuracy) AnsiConsole.MarkupLine(Markup.Escape($"accuracy {accuracy}"));
        // A file's own text, shown as elr-run shows it: control characters as \xNN, so a property cannot drive the terminal.
        foreach (var (key, value) in meta.Properties.OrderBy(p => p.Key)) AnsiConsole.MarkupLine(Markup.Escape(UserFailure.Printable($"  {key} = {value}")));
        return 0;
    }

    /// <summary>How the table names what a layer's products multiply the weights by: "dynamic uint8" for a layer that quantizes
    /// its inputs as it runs (elr quantize --activations dynamic), "f32" for any other layer with weights.</summary>
    internal static string InputsLabel(Layer layer) =>
        layer.InputQuantization == InputQuantization.Dynamic ? "dynamic uint8" : layer.ParameterCount == 0 ? "" : "f32";
}
