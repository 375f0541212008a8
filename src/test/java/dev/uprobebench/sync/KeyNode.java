package dev.uprobebench.sync;

/** A tree node keyed by one long, for the tree's own tests. */
class KeyNode extends RbNode {
    final long key;

    KeyNode(long key) {
        this.key = key;
    }

    @Override
    public int compareKey(long hi, long lo) {
        int c = Long.compare(hi, 0);
        return c != 0 ? c : Long.compare(lo, key);
    }

    @Override
    public long keyHi() {
        return 0;
    }

    @Override
    public long keyLo() {
        return key;
    }
}
