;; Float32 kernels with a sparse (CSR) factor, 128-bit SIMD: the hot loops of sparse SAE training.
;; Source of the module embedded in ../sparse_wasm.ts; rebuild with `node src/dictionary/wasm/build.mjs`.
;; All pointers are byte offsets into the exported memory; arrays are row-major, f32 unless named idx/ptr (i32).
;; A CSR structure over B rows: ptr (B+1 entries), idx (column of each non-zero), val (its value).
(module
  (memory (export "memory") 1)

  ;; y[0..n) += a·x[0..n)
  (func $axpy (param $n i32) (param $a f32) (param $x i32) (param $y i32)
    (local $av v128) (local $end i32) (local $end4 i32)
    (local.set $av (f32x4.splat (local.get $a)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -16)) (i32.const 2))))
    (block $done16
      (loop $l16
        (br_if $done16 (i32.ge_u (local.get $x) (local.get $end4)))
        (v128.store offset=0 (local.get $y) (f32x4.add (v128.load offset=0 (local.get $y)) (f32x4.mul (local.get $av) (v128.load offset=0 (local.get $x)))))
        (v128.store offset=16 (local.get $y) (f32x4.add (v128.load offset=16 (local.get $y)) (f32x4.mul (local.get $av) (v128.load offset=16 (local.get $x)))))
        (v128.store offset=32 (local.get $y) (f32x4.add (v128.load offset=32 (local.get $y)) (f32x4.mul (local.get $av) (v128.load offset=32 (local.get $x)))))
        (v128.store offset=48 (local.get $y) (f32x4.add (v128.load offset=48 (local.get $y)) (f32x4.mul (local.get $av) (v128.load offset=48 (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 64)))
        (local.set $y (i32.add (local.get $y) (i32.const 64)))
        (br $l16)))
    (block $done
      (loop $l1
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (f32.store (local.get $y) (f32.add (f32.load (local.get $y)) (f32.mul (local.get $a) (f32.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (br $l1))))

  ;; ⟨x[0..n), y[0..n)⟩
  (func $dot (param $n i32) (param $x i32) (param $y i32) (result f32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $end i32) (local $end4 i32) (local $s f32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -16)) (i32.const 2))))
    (block $done16
      (loop $l16
        (br_if $done16 (i32.ge_u (local.get $x) (local.get $end4)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load offset=0 (local.get $x)) (v128.load offset=0 (local.get $y)))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load offset=16 (local.get $x)) (v128.load offset=16 (local.get $y)))))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (v128.load offset=32 (local.get $x)) (v128.load offset=32 (local.get $y)))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (v128.load offset=48 (local.get $x)) (v128.load offset=48 (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 64)))
        (local.set $y (i32.add (local.get $y) (i32.const 64)))
        (br $l16)))
    (local.set $s0 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3))))
    (local.set $s (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
      (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))
    (block $done
      (loop $l1
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $x)) (f32.load (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (br $l1)))
    (local.get $s))


  ;; y[0..n) += a0·x0 + a1·x1 + a2·x2 + a3·x3 (one pass over y for four rows)
  (func $axpy4 (param $n i32) (param $a0 f32) (param $a1 f32) (param $a2 f32) (param $a3 f32)
               (param $x0 i32) (param $x1 i32) (param $x2 i32) (param $x3 i32) (param $y i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $j i32) (local $end4 i32) (local $end i32)
    (local.set $v0 (f32x4.splat (local.get $a0))) (local.set $v1 (f32x4.splat (local.get $a1)))
    (local.set $v2 (f32x4.splat (local.get $a2))) (local.set $v3 (f32x4.splat (local.get $a3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done4
      (loop $l4
        (br_if $done4 (i32.ge_u (local.get $j) (local.get $end4)))
        (v128.store (i32.add (local.get $y) (local.get $j))
          (f32x4.add
            (f32x4.add (v128.load (i32.add (local.get $y) (local.get $j)))
              (f32x4.add (f32x4.mul (local.get $v0) (v128.load (i32.add (local.get $x0) (local.get $j))))
                         (f32x4.mul (local.get $v1) (v128.load (i32.add (local.get $x1) (local.get $j))))))
            (f32x4.add (f32x4.mul (local.get $v2) (v128.load (i32.add (local.get $x2) (local.get $j))))
                       (f32x4.mul (local.get $v3) (v128.load (i32.add (local.get $x3) (local.get $j)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $l4)))
    (block $done
      (loop $l1
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (f32.store (i32.add (local.get $y) (local.get $j))
          (f32.add
            (f32.add (f32.load (i32.add (local.get $y) (local.get $j)))
              (f32.add (f32.mul (local.get $a0) (f32.load (i32.add (local.get $x0) (local.get $j))))
                       (f32.mul (local.get $a1) (f32.load (i32.add (local.get $x1) (local.get $j))))))
            (f32.add (f32.mul (local.get $a2) (f32.load (i32.add (local.get $x2) (local.get $j))))
                     (f32.mul (local.get $a3) (f32.load (i32.add (local.get $x3) (local.get $j)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $l1))))


  ;; out[0..4) = ⟨y, x0⟩, ⟨y, x1⟩, ⟨y, x2⟩, ⟨y, x3⟩ over n entries (one pass over y for four rows)
  (func $dot4 (param $n i32) (param $y i32) (param $x0 i32) (param $x1 i32) (param $x2 i32) (param $x3 i32) (param $out i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $yv v128) (local $j i32) (local $end4 i32) (local $end i32)
    (local $t0 f32) (local $t1 f32) (local $t2 f32) (local $t3 f32) (local $yy f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done4
      (loop $l4
        (br_if $done4 (i32.ge_u (local.get $j) (local.get $end4)))
        (local.set $yv (v128.load (i32.add (local.get $y) (local.get $j))))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $yv) (v128.load (i32.add (local.get $x0) (local.get $j))))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $yv) (v128.load (i32.add (local.get $x1) (local.get $j))))))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $yv) (v128.load (i32.add (local.get $x2) (local.get $j))))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $yv) (v128.load (i32.add (local.get $x3) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $l4)))
    (block $done
      (loop $l1
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $yy (f32.load (i32.add (local.get $y) (local.get $j))))
        (local.set $t0 (f32.add (local.get $t0) (f32.mul (local.get $yy) (f32.load (i32.add (local.get $x0) (local.get $j))))))
        (local.set $t1 (f32.add (local.get $t1) (f32.mul (local.get $yy) (f32.load (i32.add (local.get $x1) (local.get $j))))))
        (local.set $t2 (f32.add (local.get $t2) (f32.mul (local.get $yy) (f32.load (i32.add (local.get $x2) (local.get $j))))))
        (local.set $t3 (f32.add (local.get $t3) (f32.mul (local.get $yy) (f32.load (i32.add (local.get $x3) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $l1)))
    (f32.store offset=0 (local.get $out) (f32.add (local.get $t0) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
      (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0))))))
    (f32.store offset=4 (local.get $out) (f32.add (local.get $t1) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s1)) (f32x4.extract_lane 1 (local.get $s1)))
      (f32.add (f32x4.extract_lane 2 (local.get $s1)) (f32x4.extract_lane 3 (local.get $s1))))))
    (f32.store offset=8 (local.get $out) (f32.add (local.get $t2) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s2)) (f32x4.extract_lane 1 (local.get $s2)))
      (f32.add (f32x4.extract_lane 2 (local.get $s2)) (f32x4.extract_lane 3 (local.get $s2))))))
    (f32.store offset=12 (local.get $out) (f32.add (local.get $t3) (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s3)) (f32x4.extract_lane 1 (local.get $s3)))
      (f32.add (f32x4.extract_lane 2 (local.get $s3)) (f32x4.extract_lane 3 (local.get $s3)))))))

  ;; out_r (row r of out, R×M) += Σ_p val[p]·X_idx[p] over the non-zeros p of row r (CSR ptr/idx/val); X has rows of M.
  ;; With S in CSR this is out += S·X; with S in CSC (rows = columns of S) it is out += Sᵀ·X.
  (func (export "gacc") (param $ptr i32) (param $idx i32) (param $val i32) (param $R i32) (param $X i32) (param $M i32) (param $out i32)
    (local $r i32) (local $p i32) (local $pe i32) (local $row i32) (local $q i32) (local $v i32)
    (local.set $row (i32.shl (local.get $M) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $R)))
        (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $pe (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $r) (i32.const 2)))))
        (block $done4
          (loop $nz4
            (br_if $done4 (i32.gt_s (i32.add (local.get $p) (i32.const 4)) (local.get $pe)))
            (local.set $q (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2))))
            (local.set $v (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))
            (call $axpy4 (local.get $M)
              (f32.load offset=0 (local.get $v)) (f32.load offset=4 (local.get $v))
              (f32.load offset=8 (local.get $v)) (f32.load offset=12 (local.get $v))
              (i32.add (local.get $X) (i32.mul (i32.load offset=0 (local.get $q)) (local.get $row)))
              (i32.add (local.get $X) (i32.mul (i32.load offset=4 (local.get $q)) (local.get $row)))
              (i32.add (local.get $X) (i32.mul (i32.load offset=8 (local.get $q)) (local.get $row)))
              (i32.add (local.get $X) (i32.mul (i32.load offset=12 (local.get $q)) (local.get $row)))
              (local.get $out))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $nz4)))
        (block $rdone
          (loop $nz
            (br_if $rdone (i32.ge_s (local.get $p) (local.get $pe)))
            (call $axpy (local.get $M)
              (f32.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))
              (i32.add (local.get $X) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row)))
              (local.get $out))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $nz)))
        (local.set $out (i32.add (local.get $out) (local.get $row)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))


  ;; x0 += a0·y, x1 += a1·y, x2 += a2·y, x3 += a3·y over n entries (one pass over y for four rows)
  (func $scatter4 (param $n i32) (param $a0 f32) (param $a1 f32) (param $a2 f32) (param $a3 f32)
                  (param $x0 i32) (param $x1 i32) (param $x2 i32) (param $x3 i32) (param $y i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $yv v128) (local $j i32) (local $end4 i32) (local $end i32)
    (local $yy f32) (local $q i32)
    (local.set $v0 (f32x4.splat (local.get $a0))) (local.set $v1 (f32x4.splat (local.get $a1)))
    (local.set $v2 (f32x4.splat (local.get $a2))) (local.set $v3 (f32x4.splat (local.get $a3)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done4
      (loop $l4
        (br_if $done4 (i32.ge_u (local.get $j) (local.get $end4)))
        (local.set $yv (v128.load (i32.add (local.get $y) (local.get $j))))
        (local.set $q (i32.add (local.get $x0) (local.get $j)))
        (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (f32x4.mul (local.get $v0) (local.get $yv))))
        (local.set $q (i32.add (local.get $x1) (local.get $j)))
        (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (f32x4.mul (local.get $v1) (local.get $yv))))
        (local.set $q (i32.add (local.get $x2) (local.get $j)))
        (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (f32x4.mul (local.get $v2) (local.get $yv))))
        (local.set $q (i32.add (local.get $x3) (local.get $j)))
        (v128.store (local.get $q) (f32x4.add (v128.load (local.get $q)) (f32x4.mul (local.get $v3) (local.get $yv))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $l4)))
    (block $done
      (loop $l1
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $yy (f32.load (i32.add (local.get $y) (local.get $j))))
        (local.set $q (i32.add (local.get $x0) (local.get $j)))
        (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (f32.mul (local.get $a0) (local.get $yy))))
        (local.set $q (i32.add (local.get $x1) (local.get $j)))
        (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (f32.mul (local.get $a1) (local.get $yy))))
        (local.set $q (i32.add (local.get $x2) (local.get $j)))
        (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (f32.mul (local.get $a2) (local.get $yy))))
        (local.set $q (i32.add (local.get $x3) (local.get $j)))
        (f32.store (local.get $q) (f32.add (f32.load (local.get $q)) (f32.mul (local.get $a3) (local.get $yy))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $l1))))

  ;; X_idx[p] += val[p]·Y_r for every non-zero p of row r (CSR ptr/idx/val over R rows): X += Sᵀ·Y, rows of M.
  (func (export "scat") (param $ptr i32) (param $idx i32) (param $val i32) (param $R i32) (param $Y i32) (param $M i32) (param $X i32)
    (local $r i32) (local $p i32) (local $pe i32) (local $row i32) (local $q i32) (local $v i32)
    (local.set $row (i32.shl (local.get $M) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $R)))
        (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $pe (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $r) (i32.const 2)))))
        (block $done4
          (loop $nz4
            (br_if $done4 (i32.gt_s (i32.add (local.get $p) (i32.const 4)) (local.get $pe)))
            (local.set $q (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2))))
            (local.set $v (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))
            (call $scatter4 (local.get $M)
              (f32.load offset=0 (local.get $v)) (f32.load offset=4 (local.get $v))
              (f32.load offset=8 (local.get $v)) (f32.load offset=12 (local.get $v))
              (i32.add (local.get $X) (i32.mul (i32.load offset=0 (local.get $q)) (local.get $row)))
              (i32.add (local.get $X) (i32.mul (i32.load offset=4 (local.get $q)) (local.get $row)))
              (i32.add (local.get $X) (i32.mul (i32.load offset=8 (local.get $q)) (local.get $row)))
              (i32.add (local.get $X) (i32.mul (i32.load offset=12 (local.get $q)) (local.get $row)))
              (local.get $Y))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $nz4)))
        (block $rdone
          (loop $nz
            (br_if $rdone (i32.ge_s (local.get $p) (local.get $pe)))
            (call $axpy (local.get $M)
              (f32.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))
              (local.get $Y)
              (i32.add (local.get $X) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $nz)))
        (local.set $Y (i32.add (local.get $Y) (local.get $row)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; val[p] = ⟨Y_b, D_idx[p]⟩ for every non-zero position p (row b) of the CSR structure ptr/idx; Y B×M, D N×M.
  (func (export "sdots") (param $ptr i32) (param $idx i32) (param $val i32) (param $B i32) (param $Y i32) (param $D i32) (param $M i32)
    (local $b i32) (local $p i32) (local $pe i32) (local $row i32) (local $q i32)
    (local.set $row (i32.shl (local.get $M) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $b) (local.get $B)))
        (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $pe (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const 2)))))
        (block $done4
          (loop $nz4
            (br_if $done4 (i32.gt_s (i32.add (local.get $p) (i32.const 4)) (local.get $pe)))
            (local.set $q (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2))))
            (call $dot4 (local.get $M) (local.get $Y)
              (i32.add (local.get $D) (i32.mul (i32.load offset=0 (local.get $q)) (local.get $row)))
              (i32.add (local.get $D) (i32.mul (i32.load offset=4 (local.get $q)) (local.get $row)))
              (i32.add (local.get $D) (i32.mul (i32.load offset=8 (local.get $q)) (local.get $row)))
              (i32.add (local.get $D) (i32.mul (i32.load offset=12 (local.get $q)) (local.get $row)))
              (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $nz4)))
        (block $rdone
          (loop $nz
            (br_if $rdone (i32.ge_s (local.get $p) (local.get $pe)))
            (f32.store (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2)))
              (call $dot (local.get $M) (local.get $Y)
                (i32.add (local.get $D) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $nz)))
        (local.set $Y (i32.add (local.get $Y) (local.get $row)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))
)
