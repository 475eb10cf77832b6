using System;
using System.Collections.Generic;
using System.Threading;

namespace AutoDiff;

public sealed partial class Tape
{
    // Open scopes, innermost last. Frame 0 is the tape's root, open for the thread's lifetime.
    private ScopeFrame[] _frames = new ScopeFrame[8];
    private int _depth;
    private long _lastFrameId;
    private int _stamp;

    // _stamp while the innermost scope records unchecked, else −1 (see RecordUnary).
    private int _hotStamp;

    // One field for both switches, so the hot path tests a single value: recording on and checking off.
    private Mode _mode = Mode.Recording;

    [Flags]
    private enum Mode
    {
        None = 0,
        Recording = 1,
        CheckingFinite = 2,

        // Forward-over-reverse: every node also carries its tangent along a direction (Tape.SecondOrder.cs).
        Tangents = 4,
    }

    internal bool IsCheckingFinite => (_mode & Mode.CheckingFinite) != 0;

    /// <summary>Whether operations are being recorded (false inside <see cref="NoGrad"/>).</summary>
    public bool IsRecording => (_mode & Mode.Recording) != 0;

    /// <summary>
    /// Opens a scope on this thread's tape. Disposing it truncates the tape back to where it was, keeping capacity;
    /// every <see cref="Var"/> recorded inside becomes invalid (using one afterwards throws).
    /// </summary>
    /// <remarks>Scopes nest; an inner scope may use the <see cref="Var"/>s of the scopes around it. Inside a scope,
    /// recording is on even if an enclosing <see cref="NoGrad"/> turned it off.</remarks>
    public static TapeScope Scope() => Current.OpenScope(Mode.None, userScope: true);

    /// <summary>
    /// Turns recording off until the returned scope is disposed: operations compute values and return constants.
    /// Use it for updates that must not grow the tape, such as an optimizer's parameter step.
    /// </summary>
    public static TapeScope NoGrad() => Current.OpenModeScope(Mode.Recording, on: false);

    /// <summary>
    /// Checks every operation until the returned scope is disposed: the first one whose result or local derivative is NaN
    /// or ±∞ throws a <see cref="NonFiniteValueException"/> naming the operation and its operands (those passed as
    /// <see cref="double"/>s included). A reverse sweep run inside the scope is checked too: the first operation whose
    /// rule makes an adjoint NaN or ±∞ from finite adjoints (adjoint × partial, or a sum of finite contributions,
    /// overflowing) throws, naming the operation, the input and the values, or for a tensor the element and the shapes.
    /// </summary>
    /// <remarks>Outside the scope nothing is checked and NaN and ±∞ propagate as IEEE 754 says.</remarks>
    public static TapeScope CheckFinite() => Current.OpenModeScope(Mode.CheckingFinite, on: true);

    /// <summary>
    /// Turns <see cref="CheckFinite"/> off until the returned scope is disposed: for the library's own evaluations whose
    /// non-finite result is an answer, not the user's error (<see cref="ObservedInformation.CheckAttained"/>'s probe).
    /// </summary>
    internal static TapeScope WithoutFiniteChecks() => Current.OpenModeScope(Mode.CheckingFinite, on: false);

    internal TapeScope OpenScope() => OpenScope(Mode.None);

    // extra: switches the new scope turns on besides recording (Tangents for a Hessian). userScope: a Tape.Scope(), whose
    // own Backward() leaves gradients readable after it closes; the scopes of AD calls do not (see Pop). An AD call's scope
    // drops the tangents of a Hessian around it, whose recording its result is a constant to: recording with them, the call
    // refused, as if it were the Hessian, an operation without a second-order rule. A Tape.Scope() keeps them: what is
    // recorded in it is part of the Hessian's function.
    private TapeScope OpenScope(Mode extra, bool userScope = false)
    {
        ThrowIfTracing("opened a tape scope (Tape.Scope, or a nested AD call)");
        CloseAbandonedScopes();
        // Stamps are unique until the process-wide counter wraps (2³¹ scopes); after that, never reuse one of ours that is open.
        int stamp;
        do
        {
            stamp = TapeRegistry.NextScopeStamp();
        }
        while (IsActiveStamp(stamp));

        return Push(new ScopeFrame(stamp, _count, _edgeCount, _rentedCount, _recordCount, _mode, Truncates: true, ++_lastFrameId, userScope ? -1 : _sweepNumber),
            (userScope ? _mode : _mode & ~Mode.Tangents) | Mode.Recording | extra);
    }

    // NoGrad and CheckFinite are frames too, so they are closed in order, once, on their thread, like any scope. They keep
    // the enclosing scope's stamp: Vars made inside stay valid after them.
    private TapeScope OpenModeScope(Mode flag, bool on)
    {
        ThrowIfTracing(flag == Mode.Recording ? "opened Tape.NoGrad (values computed without recording would be frozen)" : "opened Tape.CheckFinite");
        CloseAbandonedScopes();
        return Push(new ScopeFrame(_stamp, _count, _edgeCount, _rentedCount, _recordCount, _mode, Truncates: false, ++_lastFrameId, _sweepNumber), on ? _mode | flag : _mode & ~flag);
    }

    private TapeScope Push(in ScopeFrame frame, Mode mode)
    {
        if (_depth + 1 == _frames.Length)
        {
            Array.Resize(ref _frames, _frames.Length * 2);
        }

        _frames[++_depth] = frame;
        _stamp = frame.Stamp;
        _mode = mode;
        UpdateHotStamp();
        return new TapeScope(this, _depth, frame.Id);
    }

    internal void CloseScope(int depth, long id)
    {
        if (Environment.CurrentManagedThreadId != OwnerThreadId)
        {
            Abandon(id);
            throw new InvalidOperationException(
                $"A tape scope of thread {OwnerThreadId} was disposed on thread {Environment.CurrentManagedThreadId}; dispose a scope on the thread that opened it "
                + $"(an await inside a using block of a scope may resume on another thread). Thread {OwnerThreadId} closes it the next time it opens or "
                + "closes a tape scope (an AD call included), so its Vars and tensors are invalid, and its NoGrad or CheckFinite does not outlive it.");
        }

        if (depth > _depth || _frames[depth].Id != id)
        {
            throw new InvalidOperationException("This tape scope was already disposed.");
        }

        if (depth != _depth)
        {
            throw new InvalidOperationException(
                $"Tape scopes must be disposed in the reverse order of opening: this one is at depth {depth}, but the innermost open scope is at depth {_depth}.");
        }

        Pop();
        CloseAbandonedScopes();
    }

    /// <summary>
    /// <see cref="TapeScope.ThrowIfCallLeftScopesOpen"/>: if scopes are open above the call's own at <paramref name="depth"/>,
    /// closes them and the call's, and throws.
    /// </summary>
    internal void ThrowIfCallLeftScopesOpen(int depth, long id, string caller)
    {
        int left = _depth - depth;
        if (left > 0 && Environment.CurrentManagedThreadId == OwnerThreadId && _frames[depth].Id == id)
        {
            UnwindTo(depth - 1);
            throw new InvalidOperationException(
                $"{caller}: the function left {left} tape scope(s) open (a Tape.Scope, Tape.NoGrad or Tape.CheckFinite not disposed); "
                + "they are now closed with the call's own scope. Dispose every scope the function opens, with a using statement.");
        }
    }

    /// <summary>Closes every scope above <paramref name="depth"/>: the cleanup when an exception leaves scopes open.</summary>
    internal void UnwindTo(int depth)
    {
        while (_depth > depth)
        {
            Pop();
        }
    }

    private void Pop()
    {
        ref readonly var frame = ref _frames[_depth];
        if (frame.Truncates)
        {
            _count = frame.NodeMark;
            _edgeCount = frame.EdgeMark;
            _sweptNodes = Math.Min(_sweptNodes, _count);
            _unfinishedSweepBelow = Math.Min(_unfinishedSweepBelow, _count);

            // A sweep inside this scope from one of its own nodes (a nested AD.Grad, AD.Hessian, GradCheck, Mle.Fit)
            // cleared every adjoint, the enclosing scopes' too: what an earlier Backward() left there is gone, and what is
            // left are derivatives of a result that no longer exists. (A Backward() inside it from an enclosing scope's
            // result leaves that result's gradients, which stay readable.)
            if (frame.SweepMark >= 0 && frame.SweepMark != _sweepNumber && _lastSeed >= frame.NodeMark && _sweptNodes > 0)
            {
                _sweptNodes = 0;
                _nestedSweepClearedBelow = _count;
            }
            ReleaseTensors(frame.NodeMark, frame.RentedMark, frame.RecordMark);
            ForgetReflectionsOnTruncate();
            ForgetEdgeOrigins(frame.EdgeMark);
        }

        _mode = frame.Mode;
        _frames[_depth] = default;
        _depth--;
        _stamp = _frames[_depth].Stamp;
        UpdateHotStamp();
    }

    private void UpdateHotStamp() => _hotStamp = _mode == Mode.Recording ? _stamp : -1;

    internal bool IsActiveStamp(int stamp)
    {
        // The innermost scope's stamp, by far the most common question.
        if (stamp == _stamp)
        {
            return true;
        }

        var frames = _frames;
        for (int d = Math.Min(_depth, frames.Length - 1); d >= 0; d--)
        {
            if (frames[d].Stamp == stamp)
            {
                return true;
            }
        }

        return false;
    }

    // A Var from an enclosing scope is alive (its node lies below every mark above it); anything else is an error.
    private void ValidateOuterScope(Var v)
    {
        if (IsActiveStamp(v.Stamp))
        {
            return;
        }

        // A node being built (Sum, Nary) may have appended edges already; drop them so the tape stays consistent.
        while (_edgeCount > 0 && _edges[_edgeCount - 1].Owner == _count)
        {
            _edgeCount--;
        }

        // A trace records on a tape of its own, so the thread's own Vars are outer ones here, not another thread's.
        ThrowIfTracing($"used a variable Var (value {v.Value}) recorded outside it (pass it as an argument, or use its Value as a constant)");
        var owner = TapeRegistry.FindActiveOwner(v.Stamp, except: this);
        throw new InvalidOperationException(owner is not null
            ? $"A Var (value {v.Value}, node {v.Index}) that belongs to the tape of thread {owner.OwnerThreadId} was used on thread {OwnerThreadId}. "
              + "Each thread records on its own tape; create the Var on the thread that uses it."
            : $"A Var (value {v.Value}, node {v.Index}) was used after the tape scope that recorded it ended. "
              + "Keep Vars inside the scope (or AD.Grad call) that made them, or copy out their Value.");
    }

    // Scopes disposed on another thread (an await between opening and disposing a scope, whose continuation ran elsewhere).
    // That thread must not touch this tape, which its own thread may be using, so it leaves the scope's id here, and this
    // tape's thread closes the scope when it next opens or closes one and the scope is innermost (a scope opened above it
    // since, by other work on this thread, closes first). Left open, the scope kept a thread-pool thread's tape in its
    // mode for whatever ran there next: a CheckFinite threw in unrelated gradients, a NoGrad made Var.Leaf a constant.
    private List<long>? _abandoned;
    private volatile bool _hasAbandoned;

    // On the disposing thread: the lock orders it with the owner's CloseAbandonedScopes.
    private void Abandon(long id)
    {
        var abandoned = _abandoned ?? Interlocked.CompareExchange(ref _abandoned, [], null) ?? _abandoned;
        lock (abandoned)
        {
            abandoned.Add(id);
            _hasAbandoned = true;
        }
    }

    // On this tape's thread.
    private void CloseAbandonedScopes()
    {
        if (!_hasAbandoned)
        {
            return;
        }

        var abandoned = _abandoned!;
        lock (abandoned)
        {
            while (_depth > 0 && abandoned.Remove(_frames[_depth].Id))
            {
                Pop();
            }

            // An id whose frame is no longer open (closed by an unwinding AD call, or disposed twice) is forgotten; one
            // below scopes still open waits for them.
            abandoned.RemoveAll(id => !IsOpenFrame(id));
            _hasAbandoned = abandoned.Count > 0;
        }
    }

    private bool IsOpenFrame(long id)
    {
        for (int d = _depth; d > 0; d--)
        {
            if (_frames[d].Id == id)
            {
                return true;
            }
        }

        return false;
    }

    private readonly record struct ScopeFrame(
        int Stamp, int NodeMark, int EdgeMark, int RentedMark, int RecordMark, Mode Mode, bool Truncates, long Id, int SweepMark);
}
