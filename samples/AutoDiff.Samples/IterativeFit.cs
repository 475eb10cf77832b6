using System;
using System.Globalization;
using Spectre.Console;

/// <summary>
/// Runs an iterative fit under a live Spectre.Console progress bar that shows the current objective.
/// Spectre falls back to plain progress lines when the output is redirected or the console is not interactive (CI).
/// </summary>
internal static class IterativeFit
{
    /// <summary>
    /// Calls <paramref name="step"/> for steps 0 to <paramref name="steps"/> and returns the objective each one gave,
    /// shown as <paramref name="objective"/> beside the bar while it runs.
    /// </summary>
    public static double[] Run(string description, string objective, int steps, Func<int, double> step)
    {
        var values = new double[steps + 1];
        return Track(description, objective, steps, report =>
        {
            for (int s = 0; s <= steps; s++)
            {
                values[s] = step(s);
                report(s, values[s]);
            }

            return values;
        });
    }

    /// <summary>
    /// Runs <paramref name="fit"/>, which calls the report it is given with (step, objective) as it goes — at most
    /// <paramref name="maxSteps"/> steps after step 0 —, under the bar; the bar is complete when <paramref name="fit"/>
    /// returns, also when it stops early (an optimizer that converged).
    /// </summary>
    public static T Track<T>(string description, string objective, int maxSteps, Func<Action<int, double>, T> fit)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: maxSteps + 1);
                result = fit((step, value) =>
                {
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{description}: {objective} = {value,10:F4}"));
                    task.Value = step + 1;
                });
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>A table of the objective (and any further <paramref name="columns"/>) every <paramref name="every"/> steps.</summary>
    public static Table Checkpoints(double[] values, int every, string objective, params (string Header, Func<int, string> Cell)[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("step").RightAligned()).AddColumn(new TableColumn(Markup.Escape(objective)).RightAligned());
        foreach (var (header, _) in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)).RightAligned());
        }

        for (int s = 0; s < values.Length; s += every)
        {
            string[] cells = [s.ToString(CultureInfo.InvariantCulture), values[s].ToString("F6", CultureInfo.InvariantCulture), .. Array.ConvertAll(columns, c => c.Cell(s))];
            table.AddRow(Array.ConvertAll(cells, Markup.Escape));
        }

        return table;
    }
}
