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

  ;; out (B×M) += S·D for sparse S (B×N, CSR ptr/idx/val) and D (N×M).
  (func (export "spmm") (param $ptr i32) (param $idx i32) (param $val i32) (param $B i32) (param $D i32) (param $M i32) (param $out i32)
    (local $b i32) (local $p i32) (local $pe i32) (local $row i32)
    (local.set $row (i32.shl (local.get $M) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $b) (local.get $B)))
        (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $pe (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const 2)))))
        (block $rdone
          (loop $nz
            (br_if $rdone (i32.ge_s (local.get $p) (local.get $pe)))
            (call $axpy (local.get $M)
              (f32.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))
              (i32.add (local.get $D) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row)))
              (local.get $out))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $nz)))
        (local.set $out (i32.add (local.get $out) (local.get $row)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; G (N×M) += Sᵀ·Y for sparse S (B×N, CSR ptr/idx/val) and Y (B×M).
  (func (export "spmmT") (param $ptr i32) (param $idx i32) (param $val i32) (param $B i32) (param $Y i32) (param $M i32) (param $G i32)
    (local $b i32) (local $p i32) (local $pe i32) (local $row i32)
    (local.set $row (i32.shl (local.get $M) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $b) (local.get $B)))
        (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $pe (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const 2)))))
        (block $rdone
          (loop $nz
            (br_if $rdone (i32.ge_s (local.get $p) (local.get $pe)))
            (call $axpy (local.get $M)
              (f32.load (i32.add (local.get $val) (i32.shl (local.get $p) (i32.const 2))))
              (local.get $Y)
              (i32.add (local.get $G) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $nz)))
        (local.set $Y (i32.add (local.get $Y) (local.get $row)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $rows))))

  ;; val[p] = ⟨Y_b, D_idx[p]⟩ for every non-zero position p (row b) of the CSR structure ptr/idx; Y B×M, D N×M.
  (func (export "sdots") (param $ptr i32) (param $idx i32) (param $val i32) (param $B i32) (param $Y i32) (param $D i32) (param $M i32)
    (local $b i32) (local $p i32) (local $pe i32) (local $row i32)
    (local.set $row (i32.shl (local.get $M) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $b) (local.get $B)))
        (local.set $p (i32.load (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const 2)))))
        (local.set $pe (i32.load offset=4 (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const 2)))))
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
